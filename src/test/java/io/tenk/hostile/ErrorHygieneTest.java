package io.tenk.hostile;

import io.tenk.config.Timeouts;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many bad requests: every rejection is exactly one access-log line with its status, and no
 * response or log line carries a stack trace, an absolute path or a Java class name.
 */
class ErrorHygieneTest {
    @TempDir Path root;

    private static final Pattern CLASS_NAME = Pattern.compile("\\b(java|javax|sun|jdk|io\\.tenk)\\.[a-z]+\\.|Exception|Error:|\\tat ");

    static List<String> badRequests() {
        List<String> t = new ArrayList<>();
        for (FramingTableTest.Case k : FramingTableTest.cases()) {
            if (!k.statuses().contains(200) && !k.statuses().contains(204)) t.add(k.bytes());
        }
        t.add("GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET /%c0%af HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET /nope/missing.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET /a.txt/ HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET /.hidden HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET /" + "x".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET / HTTP/1.1\r\nHost: x\r\nX: " + "y".repeat(17000) + "\r\n\r\n");
        t.add("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(120) + "\r\n");
        t.add("GET / HTTP/2.0\r\nHost: x\r\n\r\n");
        t.add("GET / HTTP/1.1\r\n\r\n");
        t.add("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        t.add("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("DELETE /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n");
        t.add("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003\r\n\r\n"); // a TLS hello, cut to a line
        t.add("GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=999999-\r\n\r\n".replace("/ ", "/a.txt "));
        t.add("GET / HTTP/1.1\r\nHost: x\r\nX:\u0000\r\n\r\n");
        return t;
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void rejectionsAreOneCleanLogLineEach(String model) throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Files.writeString(root.resolve(".hidden"), "h\n");
        List<String> bad = badRequests();
        assertTrue(bad.size() >= 40, "only " + bad.size());
        var t = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(1));
        try (TestServer s = TestServer.start(TestServer.config(root, t).with(b -> TestServer.model(b, model)))) {
            for (String req : bad) {
                try (RawClient c = new RawClient(s.address(), 4000)) {
                    c.send(req.getBytes(StandardCharsets.ISO_8859_1));
                    c.socket().shutdownOutput(); // so every exchange ends promptly
                    String resp = new String(c.readToEnd(), StandardCharsets.ISO_8859_1);
                    assertTrue(resp.startsWith("HTTP/1.1 4") || resp.startsWith("HTTP/1.1 5"), req + " -> " + resp);
                    assertFalse(resp.contains(root.toString()), resp);
                    assertFalse(CLASS_NAME.matcher(resp).find(), resp);
                }
            }
            String log = s.accessLog();
            List<String> lines = log.lines().toList();
            assertEquals(bad.size(), lines.size(), log);
            for (String line : lines) {
                assertTrue(line.matches(".*\" [45]\\d\\d (\\d+|-) \".*"), line);
                assertFalse(line.contains(root.toString()), line);
            }
            String errors = s.errorLog();
            assertFalse(CLASS_NAME.matcher(errors).find(), errors);
            assertFalse(errors.contains(root.toString()), errors);
        }
    }
}
