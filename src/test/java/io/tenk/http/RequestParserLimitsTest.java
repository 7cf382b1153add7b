package io.tenk.http;

import static io.tenk.http.ParserFeed.bytes;
import static io.tenk.http.ParserFeed.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tenk.http.RequestParser.Result;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit exactly at its boundary and one byte (or field) over, at the default limits. */
class RequestParserLimitsTest {
    private static final String OK = "END idle=true inBody=false";

    /** Whole, one byte at a time, and split at many offsets (every offset for small inputs), heap and direct. */
    private static List<String> consistent(String input, Limits limits) {
        byte[] in = bytes(input);
        List<String> whole = ParserFeed.run(in, new int[0], false, limits);
        int stride = in.length > 1000 ? 97 : 1;
        for (boolean direct : new boolean[] {false, true}) {
            int[] all = new int[Math.max(in.length - 1, 0)];
            for (int i = 0; i < all.length; i++) all[i] = i + 1;
            assertEquals(whole, ParserFeed.run(in, all, direct, limits), "one byte at a time");
            for (int cut = 1; cut < in.length; cut += stride) {
                assertEquals(whole, ParserFeed.run(in, new int[] {cut}, direct, limits), "split at " + cut);
            }
        }
        return whole;
    }

    private static String requestLineOf(int length) {
        String fixed = "GET / HTTP/1.1";
        return "GET /" + "a".repeat(length - fixed.length()) + " HTTP/1.1";
    }

    @Test
    void requestLineAtTheLimit() {
        String line = requestLineOf(8192);
        assertEquals(8192, line.length());
        List<String> ev = consistent(crlf(line, "Host: x", ""), ParserFeed.LIMITS);
        assertEquals(2, ev.size());
        assertEquals(OK, ev.get(1));
    }

    @Test
    void requestLineOneOver() {
        assertEquals(List.of("ERROR 414"), consistent(crlf(requestLineOf(8193), "Host: x", ""), ParserFeed.LIMITS));
    }

    @Test
    void longRequestLineIsRefusedBeforeItsEnd() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        ByteBuffer in = ByteBuffer.wrap(bytes("GET /" + "a".repeat(20000)));
        assertEquals(Result.ERROR, p.parse(in));
        assertEquals(Status.URI_TOO_LONG, p.error());
        assertTrue(in.position() <= 8192 + 2, "buffered no more than the limit: " + in.position());
    }

    @Test
    void smallLimitsAtEveryOffset() {
        Limits l = new Limits(16, 32, 2);
        assertEquals(16, "GET /01 HTTP/1.1".length());
        assertEquals(OK, consistent("GET /01 HTTP/1.1\r\nHost: x\r\n\r\n", l).get(1));
        assertEquals(List.of("ERROR 414"), consistent("GET /012 HTTP/1.1\r\nHost: x\r\n\r\n", l));
        // header section: "Host: x\r\n" (9) + "X-A: 01234567890123\r\n" (21) + final CRLF (2)
        String fields = "Host: x\r\nX-A: 01234567890123\r\n\r\n";
        assertEquals(32, fields.length());
        assertEquals(OK, consistent("GET / HTTP/1.1\r\n" + fields, l).get(1));
        assertEquals(List.of("ERROR 431"), consistent("GET / HTTP/1.1\r\n" + fields.replace("234", "2345"), l));
        assertEquals(List.of("ERROR 431"), consistent("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n", l));
    }

    private static String fieldsOfSize(int sectionSize) {
        // "Host: x\r\n" (9) + "X-F: " + pad + "\r\n" (7 + pad) + "\r\n" (2)
        return crlf("GET / HTTP/1.1", "Host: x", "X-F: " + "f".repeat(sectionSize - 18), "");
    }

    @Test
    void headerSectionAtTheLimit() {
        String in = fieldsOfSize(16384);
        assertEquals(16384, in.length() - "GET / HTTP/1.1\r\n".length());
        assertEquals(OK, consistent(in, ParserFeed.LIMITS).get(1));
    }

    @Test
    void headerSectionOneOver() {
        assertEquals(List.of("ERROR 431"), consistent(fieldsOfSize(16385), ParserFeed.LIMITS));
    }

    @Test
    void headerSectionOneOverInTheFinalCrlf() {
        // the fields fill the section exactly, so the empty line no longer fits
        String in = crlf("GET / HTTP/1.1", "Host: x", "X-F: " + "f".repeat(16384 - 16)) + "\r\n";
        assertEquals(List.of("ERROR 431"), consistent(in, ParserFeed.LIMITS));
    }

    @Test
    void longFieldLineIsRefusedBeforeItsEnd() {
        RequestParser p = new RequestParser(ParserFeed.LIMITS);
        ByteBuffer in = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nX-A: " + "a".repeat(40000)));
        assertEquals(Result.ERROR, p.parse(in));
        assertEquals(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, p.error());
        assertTrue(in.position() <= 16 + 16384, "buffered no more than the limit: " + in.position());
    }

    private static String withFields(int count) {
        String[] lines = new String[count + 2];
        lines[0] = "GET / HTTP/1.1";
        lines[1] = "Host: x";
        for (int i = 2; i <= count; i++) lines[i] = "X-" + i + ": v";
        lines[count + 1] = "";
        return crlf(lines);
    }

    @Test
    void fieldCountAtTheLimit() {
        List<String> ev = consistent(withFields(100), ParserFeed.LIMITS);
        assertEquals(OK, ev.get(1));
        assertTrue(ev.get(0).contains("|X-100=v|"));
    }

    @Test
    void fieldCountOneOver() {
        assertEquals(List.of("ERROR 431"), consistent(withFields(101), ParserFeed.LIMITS));
    }

    private static final String CHUNKED = crlf("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked", "");

    private static String trailers(int count) {
        StringBuilder sb = new StringBuilder(CHUNKED).append("0\r\n");
        for (int i = 0; i < count; i++) sb.append("X-").append(i).append(": v\r\n");
        return sb.append("\r\n").toString();
    }

    @Test
    void trailerCountLimit() {
        assertEquals(OK, consistent(trailers(100), ParserFeed.LIMITS).get(1));
        List<String> ev = consistent(trailers(101), ParserFeed.LIMITS);
        assertEquals(2, ev.size());
        assertEquals("ERROR 431", ev.get(1));
    }

    @Test
    void trailerSectionLimit() {
        // "X-F: " + pad + "\r\n" + "\r\n" = pad + 9
        String atLimit = CHUNKED + "0\r\nX-F: " + "t".repeat(16384 - 9) + "\r\n\r\n";
        assertEquals(OK, consistent(atLimit, ParserFeed.LIMITS).get(1));
        String over = CHUNKED + "0\r\nX-F: " + "t".repeat(16384 - 8) + "\r\n\r\n";
        assertEquals("ERROR 431", consistent(over, ParserFeed.LIMITS).get(1));
    }
}
