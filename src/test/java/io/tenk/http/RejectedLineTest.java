package io.tenk.http;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the parser tells the access log about a request it refused, whole and fed a byte at a time. */
class RejectedLineTest {
    private static final Limits LIMITS = new Limits(64, 256, 4);

    /** The status and rejected line, checked to be the same whether the input comes whole or byte by byte. */
    private static String refuse(String input) {
        String whole = run(input, input.length());
        assertEquals(whole, run(input, 1), "fed one byte at a time");
        return whole;
    }

    private static String run(String input, int step) {
        byte[] b = input.getBytes(StandardCharsets.ISO_8859_1);
        RequestParser p = new RequestParser(LIMITS);
        for (int off = 0; off < b.length; off += step) {
            ByteBuffer in = ByteBuffer.wrap(b, off, Math.min(step, b.length - off));
            RequestParser.Result r;
            while ((r = p.parse(in)) == RequestParser.Result.REQUEST) { /* next pipelined request */ }
            if (r == RequestParser.Result.ERROR) return p.error().code() + " " + p.rejectedLine();
        }
        return "accepted";
    }

    @Test void aBadHeaderKeepsTheRequestLine() {
        assertEquals("400 GET /x?y HTTP/1.1", refuse("GET /x?y HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n"));
        assertEquals("400 GET /x HTTP/1.1", refuse("GET /x HTTP/1.1\r\n\r\n")); // HTTP/1.1 without Host
    }

    @Test void tooManyOrTooLargeFieldsKeepTheRequestLine() {
        assertEquals("431 GET / HTTP/1.1", refuse("GET / HTTP/1.1\r\nHost: a\r\nX: " + "x".repeat(300) + "\r\n\r\n"));
        assertEquals("431 GET / HTTP/1.1", refuse("GET / HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n"));
    }

    @Test void aBadRequestLineIsLoggedAsSent() {
        assertEquals("400 GET /a b HTTP/1.1", refuse("GET /a b HTTP/1.1\r\n\r\n"));
        assertEquals("505 GET / HTTP/2.0", refuse("GET / HTTP/2.0\r\n\r\n"));
        assertEquals("400 GET / HTTP/1.1", refuse("GET / HTTP/1.1\n\r\n")); // bare LF
    }

    @Test void anOverlongLineIsLoggedByItsStart() {
        String line = "GET /" + "a".repeat(200) + " HTTP/1.1\r\n\r\n";
        String r = refuse(line);
        // as much as the parser held when the limit (64 + CRLF) was passed, at most SEEN_PREFIX bytes
        assertEquals("414 " + line.substring(0, Math.min(66, RequestParser.SEEN_PREFIX)) + "...", r);
    }

    @Test void aBrokenBodyOfAnEarlierRequestHasNoLine() {
        assertEquals("400 null", refuse("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
    }
}
