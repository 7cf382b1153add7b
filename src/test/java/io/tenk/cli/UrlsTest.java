package io.tenk.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The URLs the start line prints: ones a person can open, loopback first. */
class UrlsTest {
    private static final List<InetAddress> INTERFACES = addresses("127.0.0.1", "::1", "192.168.1.5", "fe80::1%1", "2001:db8::5", "10.0.0.7");

    private static List<InetAddress> addresses(String... names) {
        return java.util.Arrays.stream(names).map(n -> {
            try {
                return InetAddress.getByName(n);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static Urls of(String host, int port) throws Exception {
        return Urls.of(List.of(new InetSocketAddress(InetAddress.getByName(host), port)), INTERFACES);
    }

    @Test void aSpecificAddressIsItself() throws Exception {
        assertEquals(new Urls(List.of("http://127.0.0.1:8080/"), List.of()), of("127.0.0.1", 8080));
        assertEquals(new Urls(List.of("http://[::1]:8080/"), List.of()), of("::1", 8080));
        assertEquals(new Urls(List.of(), List.of("http://192.168.1.5:80/")), of("192.168.1.5", 80));
        assertEquals(new Urls(List.of(), List.of("http://[2001:db8::5]:80/")), of("2001:db8::5", 80));
    }

    @Test void ipv4WildcardListsLoopbackThenEveryIpv4Address() throws Exception {
        assertEquals(new Urls(List.of("http://127.0.0.1:7890/"), List.of("http://192.168.1.5:7890/", "http://10.0.0.7:7890/")),
                of("0.0.0.0", 7890));
    }

    @Test void ipv6WildcardAlsoListsIpv6ButNotLinkLocal() throws Exception {
        assertEquals(new Urls(List.of("http://127.0.0.1:7890/", "http://[::1]:7890/"),
                        List.of("http://192.168.1.5:7890/", "http://10.0.0.7:7890/", "http://[2001:db8::5]:7890/")),
                of("::", 7890));
    }

    @Test void ipv6AddressesAreWrittenShort() {
        assertEquals("::1", Urls.compress("0:0:0:0:0:0:0:1"));
        assertEquals("2001:db8::5", Urls.compress("2001:db8:0:0:0:0:0:5"));
        assertEquals("2001:db8:0:1::", Urls.compress("2001:db8:0:1:0:0:0:0"));
        assertEquals("::", Urls.compress("0:0:0:0:0:0:0:0"));
        assertEquals("1:0:2::3", Urls.compress("1:0:2:0:0:0:0:3").replace("1:0:2::3", "1:0:2::3"));
        assertEquals("fd00:1:2:3:4:5:6:7", Urls.compress("fd00:1:2:3:4:5:6:7"));
    }
}
