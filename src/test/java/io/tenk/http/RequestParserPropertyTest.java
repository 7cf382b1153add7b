package io.tenk.http;

import static io.tenk.http.ParserFeed.bytes;
import static io.tenk.http.ParserFeed.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random splits give the same result as the whole input; random mutations never throw. */
class RequestParserPropertyTest {

    private static final List<String> VALID = List.of(
            crlf("GET /index.html HTTP/1.1", "Host: x", ""),
            crlf("GET http://example.com:8080/a/b?c=d HTTP/1.1", "Host: example.com:8080", "Accept: */*",
                    "User-Agent: curl/8.0", "Connection: close", ""),
            crlf("HEAD /x?y HTTP/1.0", "Connection: keep-alive", ""),
            crlf("OPTIONS * HTTP/1.1", "Host: [::1]:80", ""),
            "\r\n\r\n" + crlf("BREW /pot HTTP/1.1", "Host: tea", "X-Empty:", "X-Ows: \t v \t", ""),
            crlf("POST /f HTTP/1.1", "Host: x", "Content-Length: 11", "") + "hello world"
                    + crlf("GET /after HTTP/1.1", "Host: x", ""),
            crlf("PUT /c HTTP/1.1", "Host: x", "Transfer-Encoding: chunked", "")
                    + "4;a=b\r\nwiki\r\n5;q=\"x y\"\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n"
                    + crlf("DELETE /z HTTP/1.1", "Host: x", "Content-Length: 3", "") + "abc"
                    + crlf("GET /last HTTP/1.1", "Host: x", ""));

    @Test
    void randomSplitsMatchWhole() {
        Random rnd = new Random(20240501);
        for (String v : VALID) {
            byte[] in = bytes(v);
            List<String> whole = ParserFeed.whole(in, false);
            assertTrue(whole.getLast().startsWith("END"), whole.toString());
            for (int iter = 0; iter < 400; iter++) {
                int n = 1 + rnd.nextInt(Math.min(12, in.length - 1));
                int[] cuts = rnd.ints(n, 1, in.length).sorted().distinct().toArray();
                boolean direct = rnd.nextBoolean();
                assertEquals(whole, ParserFeed.run(in, cuts, direct, ParserFeed.LIMITS), v + " cuts " + java.util.Arrays.toString(cuts));
            }
        }
    }

    @Test
    void mutatedInputsNeverThrowAndAgreeAcrossSplits() {
        Random rnd = new Random(7);
        byte[] interesting = bytes("\r\n :;,\"\\\t/?#*[]%0aAfF-+x\u0000\u007f\u0080\u00ff");
        for (int iter = 0; iter < 4000; iter++) {
            byte[] in = bytes(VALID.get(rnd.nextInt(VALID.size())));
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(in.length);
                byte b = interesting[rnd.nextInt(interesting.length)];
                switch (rnd.nextInt(3)) {
                    case 0 -> in[at] = b;
                    case 1 -> { // insert
                        byte[] out = new byte[in.length + 1];
                        System.arraycopy(in, 0, out, 0, at);
                        out[at] = b;
                        System.arraycopy(in, at, out, at + 1, in.length - at);
                        in = out;
                    }
                    default -> { // delete
                        byte[] out = new byte[in.length - 1];
                        System.arraycopy(in, 0, out, 0, at);
                        System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                        in = out;
                    }
                }
            }
            List<String> whole = ParserFeed.whole(in, false);
            int[] cuts = rnd.ints(1 + rnd.nextInt(6), 1, Math.max(in.length, 2)).sorted().distinct().toArray();
            assertEquals(whole, ParserFeed.run(in, cuts, rnd.nextBoolean(), ParserFeed.LIMITS),
                    new String(in, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}
