package io.tenk.handler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Host selection: exact, longest wildcard, default; ports, case and trailing dots. */
class HostTableTest {
    // site 0: example.com, *.example.com; site 1: *.blog.example.com; site 2: default; site 3: [::1], 127.0.0.1
    private static final HostTable TABLE = new HostTable(List.of(
            List.of("example.com", "*.example.com"),
            List.of("*.blog.example.com", "static.example.com"),
            List.of("*"),
            List.of("[::1]", "127.0.0.1")));

    @ParameterizedTest(name = "{0} → site {1}")
    @CsvSource(nullValues = "NULL", value = {
            "example.com, 0",
            "EXAMPLE.COM, 0",
            "example.com., 0",
            "example.com:8080, 0",
            "Example.Com.:80, 0",
            "www.example.com, 0",
            "a.b.example.com, 0",
            "static.example.com, 1",      // exact beats a wildcard
            "x.blog.example.com, 1",      // the longest wildcard wins
            "blog.example.com, 0",        // *.blog.example.com does not match blog.example.com itself
            "notexample.com, 2",
            "example.org, 2",
            "com, 2",
            "[::1]:8080, 3",
            "[::1], 3",
            "127.0.0.1:7890, 3",
            "127.0.0.2, 2",
            "NULL, 2",                    // HTTP/1.0 without Host
            "'', 2",
    })
    void selects(String host, int site) {
        assertEquals(site, TABLE.select(host));
    }

    @Test void firstSiteIsTheDefaultWithoutAStar() {
        HostTable t = new HostTable(List.of(List.of("a.test"), List.of("b.test")));
        assertEquals(0, t.defaultSite());
        assertEquals(0, t.select("c.test"));
        assertEquals(1, t.select("B.TEST:1"));
    }

    @Test void refusesTwoDefaultsAndSharedNames() {
        assertThrows(IllegalArgumentException.class, () -> new HostTable(List.of(List.of("*"), List.of("*"))));
        assertThrows(IllegalArgumentException.class, () -> new HostTable(List.of(List.of("a.test"), List.of("a.test"))));
    }

    @ParameterizedTest
    @CsvSource({"example.com:80, example.com", "[::1]:80, [::1]", "EX.com., ex.com", "a:b:c, a:b"})
    void hostName(String in, String out) {
        assertEquals(out, HostTable.hostName(in));
    }
}
