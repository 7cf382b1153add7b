package io.tenk.observe;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log's formats and its promise to write a line promptly. */
class AccessLogTest {

    /** A stream tests can read while the flusher writes to it. */
    static final class Captured extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int writes;
        @Override public synchronized void write(int b) { bytes.write(b); }
        @Override public synchronized void write(byte[] b, int off, int len) { bytes.write(b, off, len); writes++; }
        synchronized String text() { return bytes.toString(StandardCharsets.UTF_8); }
        synchronized int writes() { return writes; }
    }

    static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + " within " + millis + " ms");
            Thread.onSpinWait();
            Thread.sleep(1);
        }
    }

    /**
     * A line after a quiet spell (a person browsing) is written within about 100 ms: each waits
     * for its line with a 500 ms deadline, and all but one of eight take at most 110 ms (a
     * flusher that wrote every 200 ms would pass that about one time in twenty).
     */
    @Test void aLineIsWrittenWithinAFractionOfASecond() throws Exception {
        Captured out = new Captured();
        int prompt = 0;
        List<Long> millis = new ArrayList<>();
        try (AccessLog log = AccessLog.to(out)) {
            for (int round = 0; round < 8; round++) {
                String path = "/page" + round;
                long start = System.nanoTime();
                log.log("127.0.0.1", "GET " + path + " HTTP/1.1", 200, 5, null, "t");
                await(() -> out.text().contains(path), 500, "the line for " + path + " is written");
                long ms = (System.nanoTime() - start) / 1_000_000;
                millis.add(ms);
                if (ms <= 110) prompt++;
                Thread.sleep(37 * round % 200); // a quiet spell, out of step with any fixed tick
            }
        }
        assertTrue(prompt >= 7, "lines written after " + millis + " ms");
    }

    @Test void aBurstIsWrittenInFewWrites() throws Exception {
        Captured out = new Captured();
        try (AccessLog log = AccessLog.to(out)) {
            for (int i = 0; i < 1000; i++) log.log("127.0.0.1", "GET /" + i + " HTTP/1.1", 200, 5, null, null);
            await(() -> out.text().contains("GET /999 "), 500, "the burst is written");
            assertTrue(out.writes() <= 5, "batched: " + out.writes() + " writes for 1000 lines");
        }
    }

    @Test void jsonLinesParseAndCarryTheCombinedFields() throws Exception {
        Captured out = new Captured();
        try (AccessLog log = AccessLog.to(out, AccessLog.Format.JSON)) {
            log.log("127.0.0.1", "GET /a%20b?q=\"1\" HTTP/1.1", 200, 23, "http://x/\\", "curl/8\u001b[31m\u00e9");
            log.log("::1", null, 400, 0, null, null);
            log.log("127.0.0.1", "BREW /pot", 400, 11, null, null);
        }
        List<String> lines = out.text().lines().toList();
        assertEquals(3, lines.size(), out.text());
        for (String l : lines) assertTrue(l.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII only: " + l);
        Map<String, Object> a = Json.object(lines.get(0));
        assertEquals(List.of("time", "remote", "request", "method", "target", "protocol", "status", "bytes", "referer", "user_agent"),
                new ArrayList<>(a.keySet()));
        assertTrue(((String) a.get("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), (String) a.get("time"));
        assertEquals("127.0.0.1", a.get("remote"));
        assertEquals("GET /a%20b?q=\"1\" HTTP/1.1", a.get("request"));
        assertEquals("GET", a.get("method"));
        assertEquals("/a%20b?q=\"1\"", a.get("target"));
        assertEquals("HTTP/1.1", a.get("protocol"));
        assertEquals(200L, a.get("status"));
        assertEquals(23L, a.get("bytes"));
        assertEquals("http://x/\\", a.get("referer"));
        assertEquals("curl/8\u001b[31m\u00e9", a.get("user_agent"));
        Map<String, Object> refused = Json.object(lines.get(1));
        assertNull(refused.get("request"));
        assertNull(refused.get("method"));
        assertEquals(400L, refused.get("status"));
        assertEquals(0L, refused.get("bytes"));
        Map<String, Object> odd = Json.object(lines.get(2));
        assertEquals("BREW /pot", odd.get("request"));
        assertNull(odd.get("method"));
    }

    @Test void combinedLinesEscapeWhatTheClientSent() throws Exception {
        Captured out = new Captured();
        try (AccessLog log = AccessLog.to(out)) {
            log.log("127.0.0.1", "GET /\" HTTP/1.1", 431, 0, null, "a\nb");
        }
        assertTrue(out.text().matches("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /\\\\\" HTTP/1\\.1\" 431 - \"-\" \"a\\\\x0ab\"\n"), out.text());
    }

    /** A strict JSON reader for one object of strings, integers and nulls (what the log writes). */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) { this.s = s; }

        static Map<String, Object> object(String text) {
            Json j = new Json(text);
            Map<String, Object> m = j.readObject();
            if (j.i != text.length()) throw new AssertionError("trailing input at " + j.i + ": " + text);
            return m;
        }

        private Map<String, Object> readObject() {
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            if (peek() == '}') { i++; return m; }
            while (true) {
                String key = readString();
                expect(':');
                if (m.put(key, readValue()) != null) throw new AssertionError("duplicate key " + key);
                char c = s.charAt(i++);
                if (c == '}') return m;
                if (c != ',') throw new AssertionError("expected , or } at " + (i - 1) + ": " + s);
            }
        }

        private Object readValue() {
            char c = peek();
            if (c == '"') return readString();
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            if (c == '-') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (i == start) throw new AssertionError("bad value at " + i + ": " + s);
            return Long.parseLong(s.substring(start, i));
        }

        private String readString() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c < 0x20) throw new AssertionError("raw control character at " + (i - 1));
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                    default -> throw new AssertionError("bad escape \\" + e);
                }
            }
        }

        private char peek() { return s.charAt(i); }

        private void expect(char c) {
            if (s.charAt(i) != c) throw new AssertionError("expected " + c + " at " + i + ": " + s);
            i++;
        }
    }
}
