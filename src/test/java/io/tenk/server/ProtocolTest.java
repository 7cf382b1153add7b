package io.tenk.server;

import io.tenk.config.Timeouts;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol over real sockets, asserting the exact bytes the server writes. */
class ProtocolTest {
    @TempDir Path root;
    TestServer server;

    @BeforeEach void start() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Files.writeString(root.resolve("b.txt"), "bravo!\n");
        server = TestServer.start(TestServer.config(root, new Timeouts(Duration.ofMillis(700), Duration.ofMillis(700),
                Duration.ofMillis(900), Duration.ofSeconds(5), Duration.ofSeconds(2))));
    }

    @AfterEach void stop() { server.close(); }

    private static String errorPage(int code, String reason) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + code + " " + reason
                + "</title></head>\n<body><h1>" + code + " " + reason + "</h1></body></html>\n";
    }

    private static String errorHead(int code, String reason, boolean close, String extra) {
        int len = errorPage(code, reason).getBytes(StandardCharsets.UTF_8).length;
        return "HTTP/1.1 " + code + " " + reason + "\r\nServer: tenk\r\nDate: <date>\r\n" + extra
                + "Content-Type: text/html; charset=utf-8\r\nContent-Length: " + len + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    @Test void optionsAnswers204WithAllowAndNoBody() throws IOException {
        try (RawClient c = server.connect()) {
            HttpReply r = c.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("HTTP/1.1 204 No Content\r\nServer: tenk\r\nDate: <date>\r\nAllow: GET, HEAD, OPTIONS\r\n\r\n",
                    r.headWithoutDate());
            // the connection stays open: a second request is answered
            assertEquals(200, c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
    }

    @Test void knownMethodsOtherThanGetAndHeadGet405WithAllow() throws IOException {
        for (String m : List.of("POST", "PUT", "DELETE", "PATCH", "TRACE")) {
            try (RawClient c = server.connect()) {
                HttpReply r = c.send(m + " /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(errorHead(405, "Method Not Allowed", false, "Allow: GET, HEAD, OPTIONS\r\n"), r.headWithoutDate(), m);
                assertEquals(errorPage(405, "Method Not Allowed"), r.bodyText());
            }
        }
    }

    @Test void unknownMethodGets501() throws IOException {
        try (RawClient c = server.connect()) {
            HttpReply r = c.send("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(errorHead(501, "Not Implemented", false, ""), r.headWithoutDate());
        }
    }

    @Test void malformedRequestGets400AndClose() throws IOException {
        try (RawClient c = server.connect()) {
            byte[] all = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n").readToEnd();
            String text = new String(all, StandardCharsets.ISO_8859_1).replaceAll("(?m)^Date: [^\r\n]*", "Date: <date>");
            assertEquals(errorHead(400, "Bad Request", true, "") + errorPage(400, "Bad Request"), text);
        }
    }

    @Test void unsupportedVersionGets505() throws IOException {
        try (RawClient c = server.connect()) {
            HttpReply r = c.send("GET / HTTP/2.0\r\nHost: x\r\n\r\n").read();
            assertEquals(505, r.status());
            assertEquals("close", r.header("Connection"));
        }
    }

    @Test void missingHostIn11Gets400() throws IOException {
        try (RawClient c = server.connect()) {
            assertEquals(400, c.send("GET / HTTP/1.1\r\n\r\n").read().status());
        }
    }

    @Test void oversizedRequestLineGets414AndHeadersGet431() throws IOException {
        try (RawClient c = server.connect()) {
            assertEquals(414, c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
        try (RawClient c = server.connect()) {
            assertEquals(431, c.send("GET / HTTP/1.1\r\nHost: x\r\nX: " + "b".repeat(17000) + "\r\n\r\n").read().status());
        }
    }

    @Test void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        try (RawClient c = server.connect()) {
            for (int i = 0; i < 5; i++) {
                HttpReply r = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, r.status());
                assertEquals("alpha\n", r.bodyText());
                assertNull(r.header("Connection"));
            }
        }
    }

    @Test void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawClient c = server.connect()) {
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /b.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("alpha\n", c.read().bodyText());
            assertEquals("bravo!\n", c.read().bodyText());
            HttpReply head = c.read(true);
            assertEquals(200, head.status());
            assertEquals("6", head.header("Content-Length"));
            assertEquals(404, c.read().status());
            HttpReply last = c.read();
            assertEquals("bravo!\n", last.bodyText());
            assertEquals("close", last.header("Connection"));
            assertEquals(0, c.readToEnd().length, "nothing after the last response, then close");
        }
    }

    @Test void headSendsGetsHeadersAndNoBody() throws IOException {
        try (RawClient c = server.connect()) {
            HttpReply get = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
            HttpReply head = c.send("HEAD /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read(true);
            assertEquals(get.headWithoutDate().replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"), head.headWithoutDate());
            assertEquals(0, c.readToEnd().length, "HEAD has no body");
        }
    }

    @Test void bodyOfAGetIsDiscardedAndTheNextPipelinedRequestAnswered() throws IOException {
        try (RawClient c = server.connect()) {
            // the body looks like a request: it must never be answered as one
            String body = "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n";
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("alpha\n", c.read().bodyText());
            assertEquals("alpha\n", c.read().bodyText());
            assertEquals(0, c.readToEnd().length);
        }
    }

    @Test void postWithChunkedBodyGets405AndClose() throws IOException {
        try (RawClient c = server.connect()) {
            c.send("POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpReply r = c.read();
            assertEquals(405, r.status());
            assertEquals("close", r.header("Connection"));
            assertEquals(0, c.readToEnd().length, "the pipelined request after an undrained body is not answered");
        }
    }

    @Test void contentLengthWithTransferEncodingIs400() throws IOException {
        try (RawClient c = server.connect()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            HttpReply r = c.read();
            assertEquals(400, r.status());
            assertEquals("close", r.header("Connection"));
        }
    }

    @Test void connectionCloseIsHonoured() throws IOException {
        try (RawClient c = server.connect()) {
            HttpReply r = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertEquals("close", r.header("Connection"));
            assertEquals(0, c.readToEnd().length);
        }
    }

    @Test void http10ClosesUnlessKeepAliveIsAsked() throws IOException {
        try (RawClient c = server.connect()) {
            HttpReply r = c.send("GET /a.txt HTTP/1.0\r\n\r\n").read();
            assertTrue(r.statusLine().startsWith("HTTP/1.1 200"));
            assertEquals("close", r.header("Connection"));
            assertEquals(0, c.readToEnd().length);
        }
        try (RawClient c = server.connect()) {
            HttpReply r = c.send("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", r.header("Connection"));
            assertEquals(200, c.send("GET /b.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().status());
        }
    }

    @Test void requestSplitIntoManyWritesIsServed() throws Exception {
        try (RawClient c = server.connect()) {
            for (byte b : "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                c.send(new byte[] {b});
                Thread.sleep(2);
            }
            assertEquals("alpha\n", c.read().bodyText());
        }
    }

    @Test void unfinishedHeadGets408ThenClose() throws IOException {
        try (RawClient c = server.connect()) {
            byte[] all = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n").readToEnd();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 408 Request Timeout\r\n"), text);
            assertTrue(text.contains("\r\nConnection: close\r\n"), text);
        }
    }

    @Test void idleKeptAliveConnectionIsClosedSilently() throws IOException {
        try (RawClient c = server.connect()) {
            assertEquals(200, c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            long t0 = System.nanoTime();
            assertArrayEquals(new byte[0], c.readToEnd(), "an idle timeout sends nothing");
            assertTrue(System.nanoTime() - t0 < 4_000_000_000L);
        }
    }

    @Test void everyExchangeIsOneAccessLogLineWithControlCharactersEscaped() throws Exception {
        try (RawClient c = server.connect()) {
            // obs-text is allowed in field values; \u009b is the 8-bit CSI that some terminals obey
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nUser-Agent: evil\u009b31m\r\nReferer: http://r/\r\n\r\n").read();
            c.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").read();
            c.send("GET / HTTP/1.1\r\nHost: x\r\nX: \u001b[2J\r\n\r\n").readToEnd();
        }
        String log = "";
        for (int i = 0; i < 50 && log.lines().count() < 3; i++) {
            Thread.sleep(20);
            log = server.accessLog();
        }
        List<String> lines = log.lines().toList();
        assertEquals(3, lines.size(), log);
        assertTrue(lines.get(0).matches("127\\.0\\.0\\.1 - - \\[[^]]+ \\+0000] \"GET /a\\.txt HTTP/1\\.1\" 200 6 \"http://r/\" \"evil\\\\x9b31m\""),
                lines.get(0));
        assertTrue(lines.get(1).contains("\"GET /nope HTTP/1.1\" 404 "), lines.get(1));
        // refused for a field the parser would not take: the log still says which request it was
        assertTrue(lines.get(2).contains("\"GET / HTTP/1.1\" 400 "), lines.get(2));
        assertFalse(log.contains("\u001b") || log.contains("\u009b"));
    }
}
