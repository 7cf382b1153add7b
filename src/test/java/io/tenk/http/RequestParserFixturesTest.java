package io.tenk.http;

import static io.tenk.http.ParserFeed.bytes;
import static io.tenk.http.ParserFeed.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tables of valid and invalid requests. Every fixture is fed whole, one byte at a time and split
 * at every offset into two reads, in heap and direct buffers: all must give the same events.
 */
class RequestParserFixturesTest {

    private static final String END = "END idle=true inBody=false";
    private static final String CHUNKED_HEAD = crlf("POST /up HTTP/1.1", "Host: x", "Transfer-Encoding: chunked", "");
    private static final String NEXT = crlf("GET /next HTTP/1.1", "Host: x", "");
    private static final String NEXT_SUMMARY = "GET GET /next /next null HTTP/1.1 x true 0";
    private static final String CHUNKED_SUMMARY = "POST POST /up /up null HTTP/1.1 x true -1";

    /** A valid input: the requests it must give (as ParserFeed.summary), then END idle. */
    static Arguments ok(String name, String input, String... requests) {
        List<String> expected = new ArrayList<>(List.of(requests));
        expected.add(END);
        return Arguments.of(Named.of(name, input), expected);
    }

    /** An invalid head: no request, then the error. */
    static Arguments bad(String name, String input, int status) {
        return Arguments.of(Named.of(name, input), List.of("ERROR " + status));
    }

    /** A valid chunked head followed by an invalid body: the request, then the error. */
    static Arguments badChunks(String name, String body, int status) {
        return Arguments.of(Named.of(name, CHUNKED_HEAD + body + NEXT), List.of(CHUNKED_SUMMARY, "ERROR " + status));
    }

    static String get(String target, String... fields) {
        String[] lines = new String[fields.length + 2];
        lines[0] = "GET " + target + " HTTP/1.1";
        System.arraycopy(fields, 0, lines, 1, fields.length);
        lines[lines.length - 1] = "";
        return crlf(lines);
    }

    static String host(String... fields) {
        String[] all = new String[fields.length + 1];
        all[0] = "Host: x";
        System.arraycopy(fields, 0, all, 1, fields.length);
        return get("/", all);
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                ok("simple GET", get("/index.html", "Host: x"), "GET GET /index.html /index.html null HTTP/1.1 x true 0"),
                ok("query", get("/a/b?c=d?e", "Host: x"), "GET GET /a/b?c=d?e /a/b c=d?e HTTP/1.1 x true 0"),
                ok("empty query", get("/a?", "Host: x"), "GET GET /a? /a  HTTP/1.1 x true 0"),
                ok("target kept as sent, path decoded and normalised", get("/a%20b/%2e%2e/c%C3%A9//d/", "Host: x"),
                        "GET GET /a%20b/%2e%2e/c%C3%A9//d/ /cé/d/ null HTTP/1.1 x true 0"),
                ok("absolute-form path normalised", get("http://x.org/a/./b/../c", "Host: x.org"),
                        "GET GET http://x.org/a/./b/../c /a/c null HTTP/1.1 x.org true 0"),
                bad("path climbing above the root", get("/a/../../b", "Host: x"), 400),
                bad("encoded slash in the path", get("/a%2Fb", "Host: x"), 400),
                bad("encoded NUL in the path", get("/a%00", "Host: x"), 400),
                bad("malformed escape in the path", get("/a%zz", "Host: x"), 400),
                bad("path not UTF-8", get("/%c0%ae", "Host: x"), 400),
                bad("backslash in the path", get("/a\\b", "Host: x"), 400),
                ok("unknown method BREW", crlf("BREW /pot HTTP/1.1", "Host: x", ""), "OTHER BREW /pot /pot null HTTP/1.1 x true 0"),
                ok("token method chars", crlf("M-SEARCH! /x HTTP/1.1", "Host: x", ""), "OTHER M-SEARCH! /x /x null HTTP/1.1 x true 0"),
                ok("lowercase get is another method", crlf("get / HTTP/1.1", "Host: x", ""), "OTHER get / / null HTTP/1.1 x true 0"),
                ok("HEAD", crlf("HEAD / HTTP/1.1", "Host: x", ""), "HEAD HEAD / / null HTTP/1.1 x true 0"),
                ok("absolute-form overrides Host", get("http://Example.com:8080/p?q", "Host: other"),
                        "GET GET http://Example.com:8080/p?q /p q HTTP/1.1 Example.com:8080 true 0"),
                ok("absolute-form scheme case-insensitive, empty path", get("HTTP://x.org", "Host: x.org"),
                        "GET GET HTTP://x.org / null HTTP/1.1 x.org true 0"),
                ok("absolute-form https, query without path", get("https://x.org?q=1", "Host: x.org"),
                        "GET GET https://x.org?q=1 / q=1 HTTP/1.1 x.org true 0"),
                ok("absolute-form IPv6", get("http://[::1]:80/", "Host: [::1]:80"),
                        "GET GET http://[::1]:80/ / null HTTP/1.1 [::1]:80 true 0"),
                ok("asterisk-form with OPTIONS", crlf("OPTIONS * HTTP/1.1", "Host: x", ""), "OPTIONS OPTIONS * * null HTTP/1.1 x true 0"),
                ok("authority-form with CONNECT", crlf("CONNECT example.com:443 HTTP/1.1", "Host: example.com:443", ""),
                        "CONNECT CONNECT example.com:443 example.com:443 null HTTP/1.1 example.com:443 true 0"),
                ok("HTTP/1.0 without Host", crlf("GET / HTTP/1.0", ""), "GET GET / / null HTTP/1.0 null false 0"),
                ok("HTTP/1.0 absolute-form without Host", crlf("GET http://a/b HTTP/1.0", ""), "GET GET http://a/b /b null HTTP/1.0 a false 0"),
                ok("HTTP/1.0 keep-alive", crlf("GET / HTTP/1.0", "Connection: Keep-Alive", ""), "GET GET / / null HTTP/1.0 null true 0"),
                ok("HTTP/1.0 keep-alive and close", crlf("GET / HTTP/1.0", "Connection: keep-alive, close", ""), "GET GET / / null HTTP/1.0 null false 0"),
                ok("HTTP/1.0 with Host", crlf("GET / HTTP/1.0", "Host: x", ""), "GET GET / / null HTTP/1.0 x false 0"),
                ok("HTTP/1.1 close", host("Connection: close"), "GET GET / / null HTTP/1.1 x false 0"),
                ok("HTTP/1.1 close in a list", host("Connection: Upgrade,  CLOSE "), "GET GET / / null HTTP/1.1 x false 0"),
                ok("HTTP/1.9 is 1.1", crlf("GET / HTTP/1.9", "Host: x", ""), "GET GET / / null HTTP/1.1 x true 0"),
                ok("Host IPv6 with port", get("/", "Host: [::1]:8080"), "GET GET / / null HTTP/1.1 [::1]:8080 true 0"),
                ok("Host IPv6 full", get("/", "Host: [2001:db8:0:0:0:0:2:1]"), "GET GET / / null HTTP/1.1 [2001:db8:0:0:0:0:2:1] true 0"),
                ok("Host IPv6 with IPv4", get("/", "Host: [::ffff:192.0.2.1]"), "GET GET / / null HTTP/1.1 [::ffff:192.0.2.1] true 0"),
                ok("Host IPv4 port", get("/", "Host: 127.0.0.1:65535"), "GET GET / / null HTTP/1.1 127.0.0.1:65535 true 0"),
                ok("Host pct-encoded and sub-delims", get("/", "Host: ex%41mple!$&'()*+,;=-._~"),
                        "GET GET / / null HTTP/1.1 ex%41mple!$&'()*+,;=-._~ true 0"),
                ok("Host with OWS", get("/", "Host: \t x.org \t"), "GET GET / / null HTTP/1.1 x.org true 0"),
                ok("Host field name case", get("/", "hOsT: x"), "GET GET / / null HTTP/1.1 x true 0"),
                ok("values: OWS trimmed, empty, obs-text, tab inside", host("X-A: \t a \t b \t", "X-B:", "X-C: caf\u00e9"),
                        "GET GET / / null HTTP/1.1 x true 0"),
                ok("four empty lines before", "\r\n\r\n\r\n\r\n" + get("/", "Host: x"), "GET GET / / null HTTP/1.1 x true 0"),
                ok("Content-Length: 0", host("Content-Length: 0"), "GET GET / / null HTTP/1.1 x true 0"),
                ok("Content-Length list of equal values", host("Content-Length: 5, 5") + "hello" + NEXT,
                        "GET GET / / null HTTP/1.1 x true 5", NEXT_SUMMARY),
                ok("Content-Length repeated", host("Content-Length: 5", "Content-Length:5") + "hello" + NEXT,
                        "GET GET / / null HTTP/1.1 x true 5", NEXT_SUMMARY),
                ok("Content-Length with OWS, leading zeros", host("Content-Length: \t007 ") + "GET / H" + NEXT,
                        "GET GET / / null HTTP/1.1 x true 7", NEXT_SUMMARY),
                Arguments.of(Named.of("Content-Length Long.MAX_VALUE", host("Content-Length: 9223372036854775807") + "body"),
                        List.of("GET GET / / null HTTP/1.1 x true 9223372036854775807", "END idle=false inBody=true")),
                ok("Transfer-Encoding: Chunked", crlf("POST /up HTTP/1.1", "Host: x", "Transfer-Encoding: Chunked", "") + "0\r\n\r\n" + NEXT,
                        CHUNKED_SUMMARY, NEXT_SUMMARY),
                ok("Transfer-Encoding with tab", crlf("POST /up HTTP/1.1", "Host: x", "Transfer-Encoding:\tchunked\t", "") + "0\r\n\r\n" + NEXT,
                        CHUNKED_SUMMARY, NEXT_SUMMARY),
                ok("chunks, extensions, trailers", CHUNKED_HEAD
                        + "5\r\nhello\r\n"
                        + "A;name=value;q=\"a \\\"b\\\" c\"\r\n0123456789\r\n"
                        + "000a ; x ;y = z\r\nGET / HTTP\r\n"
                        + "0\r\nX-Trailer: 1\r\nServer-Timing: a\r\n\r\n" + NEXT,
                        CHUNKED_SUMMARY, NEXT_SUMMARY),
                ok("chunk that looks like a request", CHUNKED_HEAD + "12\r\nGET /evil HTTP/1.1\r\n0\r\n\r\n" + NEXT,
                        CHUNKED_SUMMARY, NEXT_SUMMARY),
                ok("last chunk 000 with extension", CHUNKED_HEAD + "000;end\r\n\r\n" + NEXT, CHUNKED_SUMMARY, NEXT_SUMMARY),
                ok("uppercase and lowercase hex", CHUNKED_HEAD + "Bb\r\n" + "x".repeat(0xbb) + "\r\n0\r\n\r\n" + NEXT,
                        CHUNKED_SUMMARY, NEXT_SUMMARY));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // request line
                bad("double space", crlf("GET  / HTTP/1.1", "Host: x", ""), 400),
                bad("trailing space", crlf("GET / HTTP/1.1 ", "Host: x", ""), 400),
                bad("leading space", crlf(" GET / HTTP/1.1", "Host: x", ""), 400),
                bad("tab separator", crlf("GET\t/ HTTP/1.1", "Host: x", ""), 400),
                bad("invalid method char", crlf("G(T / HTTP/1.1", "Host: x", ""), 400),
                bad("method with obs-text", crlf("G\u00c9T / HTTP/1.1", "Host: x", ""), 400),
                bad("no target", crlf("GET HTTP/1.1", "Host: x", ""), 400),
                bad("method only", crlf("GET", "Host: x", ""), 400),
                bad("no version", crlf("GET /", "Host: x", ""), 400),
                bad("fragment in target", get("/a#b", "Host: x"), 400),
                bad("DEL in target", get("/a\u007fb", "Host: x"), 400),
                bad("obs-text in target", get("/caf\u00e9", "Host: x"), 400),
                bad("NUL in target", get("/a\u0000b", "Host: x"), 400),
                bad("bare CR in request line", "GET /\r HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                bad("bare LF after request line", "GET / HTTP/1.1\nHost: x\r\n\r\n", 400),
                bad("HTTP/2.0", crlf("GET / HTTP/2.0", "Host: x", ""), 505),
                bad("HTTP/0.9", crlf("GET / HTTP/0.9", "Host: x", ""), 505),
                bad("HTTP/3.0", crlf("GET / HTTP/3.0", "Host: x", ""), 505),
                bad("HTTP/1.10", crlf("GET / HTTP/1.10", "Host: x", ""), 400),
                bad("http/1.1", crlf("GET / http/1.1", "Host: x", ""), 400),
                bad("HTTP/1", crlf("GET / HTTP/1", "Host: x", ""), 400),
                bad("HTTP/1.x", crlf("GET / HTTP/1.x", "Host: x", ""), 400),
                bad("HTTP/11.1", crlf("GET / HTTP/11.1", "Host: x", ""), 400),
                bad("asterisk-form with GET", crlf("GET * HTTP/1.1", "Host: x", ""), 400),
                bad("asterisk with more", crlf("OPTIONS *x HTTP/1.1", "Host: x", ""), 400),
                bad("CONNECT with origin-form", crlf("CONNECT / HTTP/1.1", "Host: x", ""), 400),
                bad("CONNECT without port", crlf("CONNECT example.com HTTP/1.1", "Host: x", ""), 400),
                bad("authority-form with GET", get("example.com:80", "Host: x"), 400),
                bad("relative target", get("index.html", "Host: x"), 400),
                bad("ftp scheme", get("ftp://x/", "Host: x"), 400),
                bad("absolute-form empty host", get("http:///x", "Host: x"), 400),
                bad("absolute-form userinfo", get("http://u@x/", "Host: x"), 400),
                bad("absolute-form bad port", get("http://x:99999/", "Host: x"), 400),
                bad("five empty lines before", "\r\n\r\n\r\n\r\n\r\n" + get("/", "Host: x"), 400),
                bad("bare LF empty line before", "\n" + get("/", "Host: x"), 400),
                bad("bare CR empty line before", "\r" + get("/", "Host: x"), 400),
                // field lines
                bad("obs-fold", host("X-A: a", " folded"), 400),
                bad("obs-fold with tab", host("X-A: a", "\tfolded"), 400),
                bad("first field line starts with space", get("/", " Host: x"), 400),
                bad("space before colon", get("/", "Host : x"), 400),
                bad("tab before colon", get("/", "Host\t: x"), 400),
                bad("empty name", host(": x"), 400),
                bad("no colon", host("X-A a"), 400),
                bad("invalid name char", host("X(A): a"), 400),
                bad("obs-text in name", host("X-\u00c9: a"), 400),
                bad("NUL in value", host("X-A: a\u0000b"), 400),
                bad("bare CR in value", host("X-A: a\rb"), 400),
                bad("control char in value", host("X-A: a\u0001b"), 400),
                bad("DEL in value", host("X-A: a\u007f"), 400),
                bad("ESC in value", host("X-A: \u001b[0m"), 400),
                bad("bare LF ends a field line", "GET / HTTP/1.1\r\nX-A: a\nHost: x\r\n\r\n", 400),
                bad("bare LF ends the head", "GET / HTTP/1.1\r\nHost: x\r\n\n", 400),
                bad("CR CR LF", "GET / HTTP/1.1\r\nHost: x\r\r\n\r\n", 400),
                // Host
                bad("missing Host in HTTP/1.1", get("/", "X-A: a"), 400),
                bad("missing Host with absolute-form", get("http://x/", "X-A: a"), 400),
                bad("two Hosts", get("/", "Host: x", "Host: x"), 400),
                bad("two Hosts in HTTP/1.0", crlf("GET / HTTP/1.0", "Host: x", "Host: y", ""), 400),
                bad("bad Host in HTTP/1.0", crlf("GET / HTTP/1.0", "Host: a b", ""), 400),
                bad("Host: a b", get("/", "Host: a b"), 400),
                bad("empty Host", get("/", "Host: "), 400),
                bad("Host with empty port", get("/", "Host: x:"), 400),
                bad("Host port 65536", get("/", "Host: x:65536"), 400),
                bad("Host port six digits", get("/", "Host: x:008080"), 400),
                bad("Host port not digits", get("/", "Host: x:8a"), 400),
                bad("Host only port", get("/", "Host: :80"), 400),
                bad("Host with path", get("/", "Host: a/b"), 400),
                bad("Host with userinfo", get("/", "Host: a@b"), 400),
                bad("Host bad pct-encoding", get("/", "Host: a%zz"), 400),
                bad("Host unclosed IPv6", get("/", "Host: [::1"), 400),
                bad("Host bad IPv6", get("/", "Host: [zz::1]"), 400),
                bad("Host IPv6 two ::", get("/", "Host: [1::2::3]"), 400),
                bad("Host IPv6 too many groups", get("/", "Host: [1:2:3:4:5:6:7:8:9]"), 400),
                bad("Host IPv6 bad IPv4", get("/", "Host: [::1.2.3.256]"), 400),
                bad("Host IPvFuture", get("/", "Host: [v1.x]"), 400),
                bad("Host IPv6 junk after", get("/", "Host: [::1]x"), 400),
                // Content-Length
                bad("Content-Length +5", host("Content-Length: +5"), 400),
                bad("Content-Length -5", host("Content-Length: -5"), 400),
                bad("Content-Length 0x5", host("Content-Length: 0x5"), 400),
                bad("Content-Length 5 5", host("Content-Length: 5 5"), 400),
                bad("Content-Length 5,6", host("Content-Length: 5,6"), 400),
                bad("Content-Length differing fields", host("Content-Length: 5", "Content-Length: 6"), 400),
                bad("Content-Length 5.0", host("Content-Length: 5.0"), 400),
                bad("Content-Length empty", host("Content-Length: "), 400),
                bad("Content-Length empty element", host("Content-Length: 5,"), 400),
                bad("Content-Length overflow", host("Content-Length: 9223372036854775808"), 400),
                bad("Content-Length huge", host("Content-Length: 99999999999999999999999999"), 400),
                bad("Content-Length absurd digits", host("Content-Length: " + "0".repeat(100) + "1"), 400),
                // Transfer-Encoding
                bad("CL and TE", host("Content-Length: 5", "Transfer-Encoding: chunked"), 400),
                bad("TE and CL", host("Transfer-Encoding: chunked", "Content-Length: 5"), 400),
                bad("TE chunked, chunked", host("Transfer-Encoding: chunked, chunked"), 400),
                bad("TE chunked twice in two fields", host("Transfer-Encoding: chunked", "Transfer-Encoding: chunked"), 400),
                bad("TE xchunked", host("Transfer-Encoding: xchunked"), 501),
                bad("TE gzip", host("Transfer-Encoding: gzip"), 501),
                bad("TE gzip, chunked", host("Transfer-Encoding: gzip, chunked"), 501),
                bad("TE chunked, gzip", host("Transfer-Encoding: chunked, gzip"), 501),
                bad("TE chunked with parameter", host("Transfer-Encoding: chunked;x=1"), 501),
                bad("TE empty element", host("Transfer-Encoding: , chunked"), 400),
                bad("TE empty", host("Transfer-Encoding: "), 400),
                bad("TE in HTTP/1.0", crlf("POST / HTTP/1.0", "Transfer-Encoding: chunked", ""), 400),
                // chunked bodies
                badChunks("chunk size 0x5", "0x5\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk size +5", "+5\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk size -5", "-5\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk size 5_0", "5_0\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk size leading space", " 5\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk size trailing space", "5 \r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk size empty", "\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk size 17 digits", "00000000000000005\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk size overflow", "8000000000000000\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk data longer than size", "5\r\nhello!\r\n0\r\n\r\n", 400),
                badChunks("chunk data shorter than size", "5\r\nhell\r\n0\r\n\r\n", 400),
                badChunks("bare LF after chunk size", "5\nhello\r\n0\r\n\r\n", 400),
                badChunks("bare LF after chunk data", "5\r\nhello\n0\r\n\r\n", 400),
                badChunks("bare CR in chunk line", "5\r;a\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("bare LF after last chunk", "0\n\r\n", 400),
                badChunks("bare LF ends trailers", "0\r\n\n", 400),
                badChunks("empty extension", "5;\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("extension without value", "5;a=\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("extension unclosed quote", "5;a=\"b\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("extension two values", "5;a=b c\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("extension control char", "5;a=\"b\u0001\"\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("extension trailing space", "5;a \r\nhello\r\n0\r\n\r\n", 400),
                badChunks("chunk line too long", "5;a=" + "b".repeat(RequestParser.MAX_CHUNK_LINE) + "\r\nhello\r\n0\r\n\r\n", 400),
                badChunks("trailer Content-Length", "0\r\nContent-Length: 5\r\n\r\n", 400),
                badChunks("trailer Transfer-Encoding", "0\r\ntransfer-encoding: chunked\r\n\r\n", 400),
                badChunks("trailer Host", "0\r\nHost: y\r\n\r\n", 400),
                badChunks("trailer Connection", "0\r\nConnection: close\r\n\r\n", 400),
                badChunks("trailer Trailer", "0\r\nTrailer: X\r\n\r\n", 400),
                badChunks("trailer TE", "0\r\nTE: trailers\r\n\r\n", 400),
                badChunks("trailer obs-fold", "0\r\nX-T: a\r\n b\r\n\r\n", 400),
                badChunks("trailer space before colon", "0\r\nX-T : a\r\n\r\n", 400),
                badChunks("trailer NUL", "0\r\nX-T: a\u0000\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validRequests(String input, List<String> expected) {
        check(input, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidRequests(String input, List<String> expected) {
        check(input, expected);
    }

    static void check(String input, List<String> expected) {
        byte[] in = bytes(input);
        List<String> whole = ParserFeed.whole(in, false);
        assertEquals(expected, whole.stream().map(ParserFeed::summary).toList(), "whole");
        for (boolean direct : new boolean[] {false, true}) {
            String kind = direct ? "direct " : "heap ";
            if (direct) assertEquals(whole, ParserFeed.whole(in, true), kind + "whole");
            assertEquals(whole, ParserFeed.byteByByte(in, direct), kind + "one byte at a time");
            for (int cut = 1; cut < in.length; cut++) {
                assertEquals(whole, ParserFeed.run(in, new int[] {cut}, direct, ParserFeed.LIMITS), kind + "split at " + cut);
            }
        }
    }
}
