package io.tenk.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated valid requests (random methods, targets, fields, Content-Length and chunked bodies
 * with extensions and trailers, pipelined 1–3 deep): each parses to exactly its requests and an
 * idle end, with its fields intact, and every way of splitting the bytes gives the same result.
 */
class RequestParserGeneratedTest {
    private static final String TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String PCHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
    private static final List<String> RESERVED = List.of("host", "content-length", "transfer-encoding", "connection", "expect", "te", "upgrade", "trailer");

    record Generated(byte[] bytes, int requests, List<List<String>> fields) {}

    private static String pick(Random r, String chars, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(chars.charAt(r.nextInt(chars.length())));
        return b.toString();
    }

    private static String value(Random r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            char c = (char) (0x21 + r.nextInt(0x7e - 0x21 + 1));
            if (r.nextInt(8) == 0 && i > 0 && i < n - 1) c = r.nextBoolean() ? ' ' : '\t';
            b.append(c);
        }
        return b.toString();
    }

    static Generated generate(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + r.nextInt(3);
        List<List<String>> allFields = new java.util.ArrayList<>();
        for (int q = 0; q < n; q++) {
            String method = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "BREW").get(r.nextInt(7));
            StringBuilder target = new StringBuilder();
            int segs = r.nextInt(4);
            for (int i = 0; i < segs; i++) target.append('/').append(pick(r, PCHAR, 0, 12));
            if (target.isEmpty() || r.nextInt(5) == 0) target.append('/');
            if (r.nextBoolean()) target.append('?').append(pick(r, PCHAR + "/?", 0, 20));
            boolean http10 = r.nextInt(6) == 0;
            StringBuilder head = new StringBuilder(method + " " + target + (http10 ? " HTTP/1.0" : " HTTP/1.1") + "\r\n");
            List<String> fields = new java.util.ArrayList<>();
            if (!http10 || r.nextBoolean()) head.append("Host: h").append(r.nextInt(100)).append(".example\r\n");
            int k = r.nextInt(8);
            for (int i = 0; i < k; i++) {
                String name = pick(r, TCHAR, 1, 16);
                if (RESERVED.contains(name.toLowerCase())) continue;
                String v = value(r);
                fields.add(name + "=" + v);
                head.append(name).append(':').append(r.nextBoolean() ? " " : "").append(v).append(r.nextBoolean() ? "\t" : "").append("\r\n");
            }
            allFields.add(fields);
            int bodyKind = http10 ? r.nextInt(2) : r.nextInt(3);
            StringBuilder body = new StringBuilder();
            if (bodyKind == 1) {
                String data = pick(r, PCHAR + "\r\n ", 0, 200);
                head.append("Content-Length: ").append(data.length()).append("\r\n");
                body.append(data);
            } else if (bodyKind == 2) {
                head.append("Transfer-Encoding: chunked\r\n");
                int chunks = r.nextInt(4);
                for (int c = 0; c < chunks; c++) {
                    String data = pick(r, PCHAR + "\r\n ", 1, 100);
                    String size = Integer.toHexString(data.length());
                    body.append(r.nextBoolean() ? size.toUpperCase() : size);
                    if (r.nextBoolean()) body.append(";").append(pick(r, TCHAR, 1, 5)).append('=').append(pick(r, TCHAR, 1, 5));
                    body.append("\r\n").append(data).append("\r\n");
                }
                body.append("0\r\n");
                if (r.nextBoolean()) body.append("X-Trailer-").append(pick(r, TCHAR, 1, 5)).append(": ").append(value(r)).append("\r\n");
                body.append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.append(body).toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        return new Generated(out.toByteArray(), n, allFields);
    }

    @Test void generatedRequestsParseAndAnySplitAgrees() {
        Random rnd = new Random(0x7e4b);
        for (int iter = 0; iter < 1500; iter++) {
            Generated g = generate(rnd);
            byte[] in = g.bytes();
            String text = new String(in, StandardCharsets.ISO_8859_1);
            List<String> whole = ParserFeed.whole(in, false);
            assertEquals(g.requests() + 1, whole.size(), text + "\n" + whole);
            assertEquals("END idle=true inBody=false", whole.getLast(), text);
            for (int q = 0; q < g.requests(); q++) {
                for (String f : g.fields().get(q)) {
                    String name = f.substring(0, f.indexOf('='));
                    String v = f.substring(f.indexOf('=') + 1).strip();
                    assertTrue(whole.get(q).contains("|" + name + "=" + v + "|") || whole.get(q).toLowerCase().contains("|" + name.toLowerCase() + "="),
                            f + " in " + whole.get(q));
                }
            }
            assertEquals(whole, ParserFeed.whole(in, true));
            if (iter % 10 == 0) assertEquals(whole, ParserFeed.byteByByte(in, iter % 20 == 0), text);
            for (int s = 0; s < 8; s++) {
                int[] cuts = rnd.ints(1 + rnd.nextInt(8), 1, in.length).sorted().distinct().toArray();
                assertEquals(whole, ParserFeed.run(in, cuts, rnd.nextBoolean(), ParserFeed.LIMITS), text + Arrays.toString(cuts));
            }
        }
    }
}
