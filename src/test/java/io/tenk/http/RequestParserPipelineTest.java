package io.tenk.http;

import static io.tenk.http.ParserFeed.bytes;
import static io.tenk.http.ParserFeed.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tenk.http.RequestParser.Result;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Pipelining, body framing, idle()/inBody() transitions and API contracts. */
class RequestParserPipelineTest {

    private static final String A = crlf("GET /a HTTP/1.1", "Host: x", "");
    private static final String B = crlf("POST /b HTTP/1.1", "Host: x", "Content-Length: 16", "") + "GET /no HTTP/1.1";
    private static final String C = crlf("PUT /c HTTP/1.1", "Host: x", "Transfer-Encoding: chunked", "")
            + "1A\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n0\r\nX-T: 1\r\n\r\n";
    private static final String D = crlf("GET /d HTTP/1.1", "Host: x", "Connection: close", "");

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pipelinedRequestsInOneBuffer(boolean direct) {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        ByteBuffer in = ParserFeed.buffer(bytes(A + B + C + D), direct);

        assertEquals(Result.REQUEST, p.parse(in));
        assertEquals("/a", p.request().path());
        assertEquals(B.length() + C.length() + D.length(), in.remaining(), "bytes after the head stay unconsumed");
        assertTrue(p.idle());
        assertFalse(p.inBody());

        assertEquals(Result.REQUEST, p.parse(in));
        assertEquals("/b", p.request().path());
        assertEquals(16, p.request().bodyLength());
        assertTrue(p.inBody(), "the body is pending");
        assertTrue(p.idle(), "no byte of the body consumed yet");

        assertEquals(Result.REQUEST, p.parse(in));
        assertEquals("/c", p.request().path());
        assertEquals(Request.CHUNKED, p.request().bodyLength());
        assertEquals(Method.PUT, p.request().method());

        assertEquals(Result.REQUEST, p.parse(in));
        assertEquals("/d", p.request().path());
        assertFalse(p.request().keepAlive());
        assertFalse(in.hasRemaining());

        assertEquals(Result.NEED_MORE, p.parse(in));
        assertTrue(p.idle());
        assertFalse(p.inBody());
    }

    @Test
    void pipelinedRequestsAtEverySplit() {
        byte[] in = bytes(A + B + C + D);
        List<String> whole = ParserFeed.whole(in, false);
        assertEquals(5, whole.size());
        assertEquals(List.of("/a", "/b", "/c", "/d"), whole.subList(0, 4).stream().map(s -> s.split(" ")[3]).toList());
        assertEquals("END idle=true inBody=false", whole.get(4));
        for (boolean direct : new boolean[] {false, true}) {
            assertEquals(whole, ParserFeed.byteByByte(in, direct));
            for (int cut = 1; cut < in.length; cut++) {
                assertEquals(whole, ParserFeed.run(in, new int[] {cut}, direct, ParserFeed.LIMITS), "split at " + cut);
            }
        }
    }

    @Test
    void fixedBodyTransitions() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        assertTrue(p.idle());
        assertFalse(p.inBody());
        assertEquals(Result.NEED_MORE, p.parse(ByteBuffer.allocate(0)));
        assertTrue(p.idle());

        assertEquals(Result.NEED_MORE, p.parse(buf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5")));
        assertFalse(p.idle(), "a head is half received");
        assertFalse(p.inBody());

        assertEquals(Result.REQUEST, p.parse(buf("\r\n\r\n")));
        assertTrue(p.idle());
        assertTrue(p.inBody());

        assertEquals(Result.NEED_MORE, p.parse(buf("")));
        assertTrue(p.idle());
        assertTrue(p.inBody());

        assertEquals(Result.NEED_MORE, p.parse(buf("he")));
        assertFalse(p.idle());
        assertTrue(p.inBody());

        assertEquals(Result.NEED_MORE, p.parse(buf("llo")));
        assertTrue(p.idle(), "the body is done: between requests again");
        assertFalse(p.inBody());

        assertEquals(Result.NEED_MORE, p.parse(buf("G")));
        assertFalse(p.idle());
        assertFalse(p.inBody());
        assertEquals(Result.REQUEST, p.parse(buf("ET / HTTP/1.1\r\nHost: x\r\n\r\n")));
        assertEquals(Method.GET, p.request().method());
        assertTrue(p.idle());
        assertFalse(p.inBody());
    }

    @Test
    void chunkedBodyTransitions() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        assertEquals(Result.REQUEST, p.parse(buf("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")));
        assertTrue(p.inBody());
        assertTrue(p.idle());
        String[] steps = {"3", "\r\nab", "c", "\r", "\n0", "\r\nX-T", ": 1\r\n", "\r"};
        for (String s : steps) {
            assertEquals(Result.NEED_MORE, p.parse(buf(s)), s);
            assertTrue(p.inBody(), s);
            assertFalse(p.idle(), s);
        }
        assertEquals(Result.NEED_MORE, p.parse(buf("\n")));
        assertFalse(p.inBody());
        assertTrue(p.idle());
    }

    @Test
    void emptyLinesBeforeARequestAreNotIdle() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        assertEquals(Result.NEED_MORE, p.parse(buf("\r\n")));
        assertFalse(p.idle());
        assertEquals(Result.REQUEST, p.parse(buf("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
    }

    @Test
    void headersKeptInOrderAsSent() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        assertEquals(Result.REQUEST, p.parse(buf("GET / HTTP/1.1\r\nHost: x\r\nX-A: \t a \t b \t\r\nx-empty:\r\n"
                + "X-Latin: caf\u00e9\r\nAccept: */*\r\nX-A: 2\r\n\r\n")));
        Headers h = p.request().headers();
        assertEquals(6, h.size());
        assertEquals("Host", h.name(0));
        assertEquals("x", h.value(0));
        assertEquals("a \t b", h.value(1));
        assertEquals("x-empty", h.name(2));
        assertEquals("", h.value(2));
        assertEquals("caf\u00e9", h.value(3));
        assertEquals(List.of("a \t b", "2"), h.all("x-a"));
        assertEquals("*/*", p.request().header("accept"));
        assertEquals("GET / HTTP/1.1", p.request().requestLine());
    }

    @Test
    void errorIsFinal() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        assertThrows(IllegalStateException.class, p::error);
        assertEquals(Result.ERROR, p.parse(buf("GET / HTTP/2.0\r\n")));
        assertEquals(Status.HTTP_VERSION_NOT_SUPPORTED, p.error());
        assertFalse(p.idle());
        assertFalse(p.inBody());
        assertEquals(Result.ERROR, p.parse(buf("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
        assertEquals(Status.HTTP_VERSION_NOT_SUPPORTED, p.error());
        assertThrows(IllegalStateException.class, p::request);
    }

    @Test
    void requestOnlyAfterRequest() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        assertThrows(IllegalStateException.class, p::request);
        assertEquals(Result.NEED_MORE, p.parse(buf("GET / HTTP/1.1\r\n")));
        assertThrows(IllegalStateException.class, p::request);
        assertEquals(Result.REQUEST, p.parse(buf("Host: x\r\n\r\n")));
        Request r = p.request();
        assertSame(r, p.request());
        assertEquals(Result.NEED_MORE, p.parse(buf("")));
        assertThrows(IllegalStateException.class, p::request);
    }

    @Test
    void readOnlyBuffers() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        ByteBuffer in = buf("GET /r HTTP/1.1\r\nHost: x\r\n\r\nGET /s HTTP/1.1\r\nHo").asReadOnlyBuffer();
        assertEquals(Result.REQUEST, p.parse(in));
        assertEquals("/r", p.request().path());
        assertEquals(Result.NEED_MORE, p.parse(in));
        assertEquals(Result.REQUEST, p.parse(buf("st: y\r\n\r\n").asReadOnlyBuffer()));
        assertEquals("y", p.request().host());
        assertNull(p.request().query());
    }

    @Test
    void bodyIsNeverParsedAsARequest() {
        // a Content-Length body holding a whole request, then the real next request
        String smuggled = crlf("GET /admin HTTP/1.1", "Host: x", "");
        String in = crlf("POST / HTTP/1.1", "Host: x", "Content-Length: " + smuggled.length(), "") + smuggled
                + crlf("GET /real HTTP/1.1", "Host: x", "");
        List<String> events = ParserFeed.whole(bytes(in), false);
        assertEquals(3, events.size());
        assertTrue(events.get(1).startsWith("GET GET /real "), events.get(1));
        assertEquals(events, ParserFeed.byteByByte(bytes(in), true));
    }

    @Test
    void largeFixedBodyIsSkippedNotBuffered() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        assertEquals(Result.REQUEST, p.parse(buf("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n")));
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < 9536; i++) { // 10^10 / 2^20 = 9536.7…
            chunk.clear();
            assertEquals(Result.NEED_MORE, p.parse(chunk));
            assertTrue(p.inBody());
        }
        chunk.clear().limit(10_000_000_000L > 9536L * (1 << 20) ? (int) (10_000_000_000L - 9536L * (1 << 20)) : 0);
        assertEquals(Result.NEED_MORE, p.parse(chunk));
        assertFalse(p.inBody());
        assertTrue(p.idle());
    }

    @Test
    void idleParserHoldsLittle() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        assertEquals(0, p.lineBufferCapacity());
        assertEquals(Result.NEED_MORE, p.parse(buf("GET /" + "a".repeat(8000))));
        assertTrue(p.lineBufferCapacity() >= 8000);
        assertEquals(Result.NEED_MORE, p.parse(buf(" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n")));
        assertEquals(Result.REQUEST, p.parse(buf("\r\n")));
        assertTrue(p.lineBufferCapacity() <= 256, "after the head: " + p.lineBufferCapacity());
        assertEquals(Result.NEED_MORE, p.parse(buf("0\r\nX-T: " + "t".repeat(5000))));
        assertTrue(p.lineBufferCapacity() >= 5000);
        assertEquals(Result.NEED_MORE, p.parse(buf("\r\n\r\n")));
        assertTrue(p.idle());
        assertTrue(p.lineBufferCapacity() <= 256, "after the trailers: " + p.lineBufferCapacity());
    }

    /**
     * Lines that arrive whole in a heap buffer are parsed where they lie: the parser keeps no
     * array of its own (an event loop reads into a heap buffer for this, IoBuffers.eventLoop).
     * From a direct buffer every line is copied into one, which the parser then keeps.
     */
    @Test
    void wholeLinesInAHeapBufferAreNotCopied() {
        RequestParser heap = new RequestParser(ParserFeed.LIMITS);
        assertEquals(Result.REQUEST, heap.parse(ParserFeed.buffer(bytes(A), false)));
        heap.release();
        assertEquals(0, heap.lineBufferCapacity());

        RequestParser direct = new RequestParser(ParserFeed.LIMITS);
        assertEquals(Result.REQUEST, direct.parse(ParserFeed.buffer(bytes(A), true)));
        direct.release();
        assertTrue(direct.lineBufferCapacity() > 0, "a direct buffer's lines are copied");
    }

    /**
     * The fields are gathered in one list per parser and each request gets a copy of exactly its
     * fields: a request a handler keeps is not changed by the next one the parser reads.
     */
    @Test
    void eachRequestKeepsItsOwnFieldsWhileTheParserGoesOn() {
        StringBuilder many = new StringBuilder("GET /a HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 20; i++) many.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
        String second = crlf("GET /b HTTP/1.1", "Host: b", "Accept: */*", "");
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        ByteBuffer in = ParserFeed.buffer(bytes(many + "\r\n" + second), false);
        assertEquals(Result.REQUEST, p.parse(in));
        Request first = p.request();
        p.release();
        assertEquals(Result.REQUEST, p.parse(in));
        Request next = p.request();
        assertEquals(21, first.headers().size(), "more fields than the list starts with");
        assertEquals("a", first.header("Host"));
        assertEquals("19", first.header("X-Field-19"));
        assertEquals(2, next.headers().size());
        assertEquals("b", next.header("Host"));
        assertNull(next.header("X-Field-0"));
        next.headers().add("X-Added", "1"); // a handler may add to a request's fields: the copy grows
        assertEquals("1", next.header("X-Added"));
        assertEquals(21, first.headers().size());
        assertEquals("*/*", next.header("Accept"));
    }

    /**
     * A connection's requests repeat their fields: each request after the first shares the last
     * one's array of them, and a handler that changes one request's fields changes no other's.
     */
    @Test
    void repeatedFieldsAreSharedUntilAHandlerChangesThem() {
        String head = crlf("GET /a HTTP/1.1", "Host: x", "If-None-Match: \"1\"", "Accept: */*", "");
        String other = crlf("GET /b HTTP/1.1", "Host: x", "Accept: */*", "");
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        ByteBuffer in = ParserFeed.buffer(bytes(head + head + head + other + head), false);
        Request[] r = new Request[5];
        for (int i = 0; i < r.length; i++) {
            assertEquals(Result.REQUEST, p.parse(in));
            r[i] = p.request();
            p.release();
            if (i == 0) r[0].headers().remove("If-None-Match"); // as live reload does, before the next is read
        }
        r[1].headers().remove("Accept"); // after the next ones were read
        r[4].headers().add("X-Added", "1");
        assertEquals(List.of("Host: x", "Accept: */*"), fields(r[0]));
        assertEquals(List.of("Host: x", "If-None-Match: \"1\""), fields(r[1]));
        assertEquals(List.of("Host: x", "If-None-Match: \"1\"", "Accept: */*"), fields(r[2]));
        assertEquals(List.of("Host: x", "Accept: */*"), fields(r[3]));
        assertEquals(List.of("Host: x", "If-None-Match: \"1\"", "Accept: */*", "X-Added: 1"), fields(r[4]));
    }

    private static List<String> fields(Request r) {
        Headers h = r.headers();
        return java.util.stream.IntStream.range(0, h.size()).mapToObj(i -> h.name(i) + ": " + h.value(i)).toList();
    }

    private static ByteBuffer buf(String s) { return ByteBuffer.wrap(bytes(s)); }

    @Test
    void aRepeatedRequestGetsTheStringsOfTheLastOne() {
        RecentStrings strings = new RecentStrings(64);
        String head = crlf("GET /app.js?v=3 HTTP/1.1", "Host: example.com", "Accept-Encoding: gzip, br", "X-Odd: Caf\u00e9", "");
        RequestParser a = new RequestParser(ParserFeed.LIMITS), b = new RequestParser(ParserFeed.LIMITS);
        assertEquals(Result.REQUEST, a.parse(ParserFeed.buffer(bytes(head), false), strings));
        assertEquals(Result.REQUEST, b.parse(ParserFeed.buffer(bytes(head), false), strings)); // another connection, same thread
        Request first = a.request(), second = b.request();
        assertEquals("/app.js", second.path());
        assertEquals("v=3", second.query());
        assertEquals("/app.js?v=3", second.target());
        assertEquals("Caf\u00e9", second.header("X-Odd"));
        assertSame(first.target(), second.target());
        assertSame(first.path(), second.path());
        assertSame(first.query(), second.query());
        assertSame(first.header("Host"), second.header("Host"));
        assertSame(first.header("Accept-Encoding"), second.header("Accept-Encoding"));
        assertSame(first.headers().name(2), second.headers().name(2), "an uncommon name is kept too");

        RequestParser c = new RequestParser(ParserFeed.LIMITS); // a parser of its own: a has these fields kept
        assertEquals(Result.REQUEST, c.parse(ParserFeed.buffer(bytes(head), false)), "without strings lent");
        assertNotSame(first.header("Host"), c.request().header("Host"));
        assertEquals(first.header("Host"), c.request().header("Host"));
    }
}
