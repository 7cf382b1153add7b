package io.tenk.hostile;

import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
import io.tenk.support.AllModels;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request smuggling and framing, end to end over raw sockets, for every model. Each case hides a
 * request for {@value #SMUGGLED_PATH} where a body is (or where a lenient parser would think the
 * next request starts). The server must answer with exactly the listed statuses and then close,
 * and neither the responses nor the access log may ever show the hidden request. The cases of one
 * model share one server (each case ends with the server closing its connection).
 */
@ResourceLock("framing-statics") // its subclass shares its static state: never run beside it
class FramingTableTest {
    static final String SMUGGLED_PATH = "/SMUGGLED-7f3a";
    static final String S = "GET " + SMUGGLED_PATH + " HTTP/1.1\r\nHost: x\r\n\r\n";
    static final int L = S.length();
    static final String POST = "POST /a.txt HTTP/1.1\r\nHost: x\r\n";
    static final String CLOSE_B = "GET /b.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    @TempDir static Path root;
    private static TestServer server;
    private static String serverName; // the model (or "model/selector") it serves

    /** The server for {@code model}: started on the first of its cases, stopped when the next model's begin. */
    private TestServer serverFor(String model) throws Exception {
        String name = getClass().getSimpleName() + " " + model; // a subclass serves another way
        if (server != null && name.equals(serverName)) return server;
        stopServer();
        serverName = name;
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Files.writeString(root.resolve("b.txt"), "bravo\n");
        var t = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(1));
        server = TestServer.start(config(root, model, t));
        return server;
    }

    /** How the table's server for {@code model} serves {@code root}: plain HTTP here. */
    ServerConfig config(Path root, String model, Timeouts t) {
        return TestServer.config(root, model).with(b -> b.timeouts(t));
    }

    /** A connection to {@code s} that reads for at most 4 s: a plain socket here. */
    RawClient connect(TestServer s) throws IOException {
        return new RawClient(s.address(), 4000);
    }

    @AfterAll static void stopServer() {
        if (server != null) server.close();
        server = null;
    }

    record Case(String name, String bytes, List<Integer> statuses) {
        @Override public String toString() { return name; }
    }

    private static Case c(String name, String bytes, Integer... statuses) { return new Case(name, bytes, List.of(statuses)); }

    private static String chunk(String data) { return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n"; }

    static List<Case> cases() {
        String chunkedS = chunk(S) + "0\r\n\r\n";
        List<Case> t = new ArrayList<>();
        // Content-Length together with Transfer-Encoding
        t.add(c("CL then TE", POST + "Content-Length: " + (5 + L) + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + S, 400));
        t.add(c("TE then CL", POST + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n" + chunkedS, 400));
        t.add(c("CL 0 and TE", POST + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedS, 400));
        // several or malformed Content-Lengths
        t.add(c("two different CL", POST + "Content-Length: 0\r\nContent-Length: " + L + "\r\n\r\n" + S, 400));
        t.add(c("two different CL reversed", POST + "Content-Length: " + L + "\r\nContent-Length: 0\r\n\r\n" + S, 400));
        t.add(c("CL list differing", POST + "Content-Length: 0, " + L + "\r\n\r\n" + S, 400));
        t.add(c("CL plus sign", POST + "Content-Length: +" + L + "\r\n\r\n" + S, 400));
        t.add(c("CL negative", POST + "Content-Length: -" + L + "\r\n\r\n" + S, 400));
        t.add(c("CL hex", POST + "Content-Length: 0x" + Integer.toHexString(L) + "\r\n\r\n" + S, 400));
        t.add(c("CL overflow", POST + "Content-Length: 18446744073709551617\r\n\r\n" + S, 400));
        t.add(c("CL with inner space", POST + "Content-Length: 1 0\r\n\r\n" + S, 400));
        t.add(c("CL empty", POST + "Content-Length:\r\n\r\n" + S, 400));
        t.add(c("CL space before colon", POST + "Content-Length : " + L + "\r\n\r\n" + S, 400));
        // obfuscated Transfer-Encoding: the body is a bare request a lenient server would answer
        for (String te : List.of("xchunked", "chunkedx", "chunked, chunked", "\"chunked\"", "chunked;q=1",
                "identity", "gzip", "gzip, chunked", "chunked, identity", "chunk", " chunked , x", "chunked\u000b")) {
            t.add(c("TE '" + te.strip() + "'", POST + "Transfer-Encoding: " + te + "\r\n\r\n" + S, 0));
        }
        t.add(c("TE space before colon", POST + "Transfer-Encoding : chunked\r\n\r\n" + S, 400));
        t.add(c("TE obs-fold", POST + "Transfer-Encoding:\r\n chunked\r\n\r\n" + S, 400));
        t.add(c("TE obs-fold tab", POST + "X: y\r\n\tTransfer-Encoding: chunked\r\n\r\n" + S, 400));
        t.add(c("TE twice", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n" + S, 0));
        t.add(c("TE bare LF", POST + "Transfer-Encoding: chunked\n\r\n" + S, 400));
        t.add(c("TE bare CR", POST + "Transfer-Encoding: chunked\rX: y\r\n\r\n" + S, 400));
        t.add(c("TE NUL in name", POST + "Transfer-Encoding\0: chunked\r\n\r\n" + S, 400));
        // valid spellings of chunked: the body is drained or the connection closes, never answered
        t.add(c("TE case", POST + "Transfer-Encoding: ChUnKeD\r\n\r\n" + chunkedS, 405));
        t.add(c("TE tab OWS", POST + "Transfer-Encoding:\tchunked\t\r\n\r\n" + chunkedS, 405));
        // chunk-size lines
        for (String size : List.of("0x" + Integer.toHexString(L), "+" + Integer.toHexString(L), "-" + Integer.toHexString(L),
                "1_0", "FFFFFFFFFFFFFFFFFFFF", Integer.toHexString(L) + " ", " " + Integer.toHexString(L))) {
            t.add(c("chunk size '" + size + "'", POST + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + S + "\r\n0\r\n\r\n", 405));
        }
        t.add(c("chunk line bare LF", POST + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(L) + "\n" + S + "\r\n0\r\n\r\n", 405));
        t.add(c("chunk line bare CR", POST + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(L) + "\r" + S + "\r\n0\r\n\r\n", 405));
        t.add(c("chunk data longer", POST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc" + S + "\r\n0\r\n\r\n", 405));
        t.add(c("chunk data shorter", POST + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(L + 10) + "\r\n" + S + "\r\n0\r\n\r\n", 405));
        t.add(c("trailer Content-Length", POST + "Transfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: " + L + "\r\n\r\n" + S, 405));
        t.add(c("trailer Transfer-Encoding", POST + "Transfer-Encoding: chunked\r\n\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n" + S, 405));
        t.add(c("trailer obs-fold", POST + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n" + S, 405));
        // HTTP/1.0 with Transfer-Encoding
        t.add(c("HTTP/1.0 TE", "POST /a.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedS, 0));
        t.add(c("HTTP/1.0 TE and CL", "POST /a.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: " + L + "\r\n\r\n" + S, 400));
        // bodies on requests that usually have none, followed by a pipelined request
        t.add(c("GET with body then pipelined", "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: " + L + "\r\n\r\n" + S + CLOSE_B, 200, 200));
        t.add(c("HEAD with body then pipelined", "HEAD /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: " + L + "\r\n\r\n" + S + CLOSE_B, 200, 200));
        t.add(c("OPTIONS with body then pipelined", "OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: " + L + "\r\n\r\n" + S + CLOSE_B, 204, 200));
        t.add(c("GET chunked body then pipelined", "GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedS + CLOSE_B, 200));
        t.add(c("GET body with Expect", "GET /a.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " + L + "\r\n\r\n" + S + CLOSE_B, 200));
        t.add(c("GET huge CL", "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + S + CLOSE_B, 200));
        // line endings and stray bytes in the head
        t.add(c("bare LF head", "GET /a.txt HTTP/1.1\nHost: x\nContent-Length: " + L + "\n\n" + S, 400));
        t.add(c("space-prefixed first field", "GET /a.txt HTTP/1.1\r\n Host: x\r\nContent-Length: " + L + "\r\n\r\n" + S, 400));
        t.add(c("CR in field value", POST + "X: a\rContent-Length: " + L + "\r\n\r\n" + S, 400));
        return t;
    }

    static Stream<Arguments> modelCases() {
        List<Case> cases = cases();
        return AllModels.names().flatMap(m -> cases.stream().map(k -> Arguments.of(m, k)));
    }

    @ParameterizedTest(name = "{0}: {1}") @MethodSource("modelCases")
    void neverAnswersABody(String model, Case k) throws Exception {
        TestServer s = serverFor(model);
        int logBefore = s.accessLog().length(); // the earlier cases' lines (their connections are closed)
        try (RawClient c = connect(s)) {
            c.send(k.bytes());
            byte[] all = c.readToEnd(); // the server must close within the timeout
            String text = new String(all, StandardCharsets.ISO_8859_1);
            List<Integer> statuses = statuses(all, k.bytes().startsWith("HEAD "));
            assertFalse(text.contains(SMUGGLED_PATH), text);
            String log = s.accessLog().substring(logBefore);
            assertFalse(log.contains("SMUGGLED"), "a body was answered as a request:\n" + log);
            if (k.statuses().equals(List.of(0))) {
                // a coding we do not implement: 400 or 501, one response
                assertEquals(1, statuses.size(), text);
                assertTrue(statuses.get(0) == 400 || statuses.get(0) == 501, text);
            } else {
                assertEquals(k.statuses(), statuses, text);
            }
            assertEquals(statuses.size(), log.lines().count(), "one access-log line per response:\n" + log);
        }
    }

    /** The statuses of the responses in {@code all}, read by their Content-Length framing (none after HEAD). */
    static List<Integer> statuses(byte[] all, boolean firstIsHead) {
        List<Integer> out = new ArrayList<>();
        String s = new String(all, StandardCharsets.ISO_8859_1);
        int pos = 0;
        while (pos < s.length()) {
            assertTrue(s.startsWith("HTTP/1.1 ", pos), "garbage at " + pos + ": " + s);
            int end = s.indexOf("\r\n\r\n", pos);
            assertTrue(end > 0, s);
            String head = s.substring(pos, end);
            out.add(Integer.parseInt(head.substring(9, 12)));
            long len = 0;
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) len = Long.parseLong(line.substring(15).strip());
            }
            boolean headRequest = out.size() == 1 && firstIsHead;
            pos = end + 4 + (headRequest ? 0 : (int) len);
        }
        return out;
    }
}
