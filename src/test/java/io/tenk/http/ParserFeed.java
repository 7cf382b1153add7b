package io.tenk.http;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds bytes to a {@link RequestParser} the way a connection does (chunk by chunk, whatever is
 * left unconsumed carried over to the next read) and records what happened as comparable text:
 * one line per request, then "ERROR code" or "END idle=… inBody=…".
 */
final class ParserFeed {
    static final Limits LIMITS = new Limits(8192, 16384, 100);

    private ParserFeed() {}

    /** Joins lines with CRLF, each line (the last included) ending in CRLF. */
    static String crlf(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append("\r\n");
        return sb.toString();
    }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static List<String> whole(byte[] in, boolean direct) { return run(in, new int[0], direct, LIMITS); }

    static List<String> byteByByte(byte[] in, boolean direct) {
        int[] cuts = new int[Math.max(in.length - 1, 0)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        return run(in, cuts, direct, LIMITS);
    }

    /** Feeds {@code in} as the pieces cut at the given increasing offsets. */
    static List<String> run(byte[] in, int[] cuts, boolean direct, Limits limits) {
        RequestParser p = new RequestParser(limits);
        List<String> events = new ArrayList<>();
        byte[] pending = new byte[0];
        int from = 0;
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : in.length;
            byte[] data = new byte[pending.length + to - from];
            System.arraycopy(pending, 0, data, 0, pending.length);
            System.arraycopy(in, from, data, pending.length, to - from);
            from = to;
            ByteBuffer b = buffer(data, direct);
            while (true) {
                RequestParser.Result r = p.parse(b);
                if (r == RequestParser.Result.REQUEST) {
                    events.add(describe(p.request()));
                } else if (r == RequestParser.Result.ERROR) {
                    events.add("ERROR " + p.error().code());
                    return events;
                } else {
                    assertFalse(b.hasRemaining(), "NEED_MORE must consume all input");
                    break;
                }
            }
            pending = new byte[b.remaining()];
            b.get(pending);
        }
        events.add("END idle=" + p.idle() + " inBody=" + p.inBody());
        return events;
    }

    /** A heap buffer with a non-zero array offset, or a direct buffer, holding exactly {@code data}. */
    static ByteBuffer buffer(byte[] data, boolean direct) {
        if (direct) {
            ByteBuffer b = ByteBuffer.allocateDirect(data.length);
            b.put(data).flip();
            return b;
        }
        byte[] backing = new byte[data.length + 7];
        Arrays.fill(backing, (byte) '\n'); // a stray LF outside the window must never be seen
        System.arraycopy(data, 0, backing, 3, data.length);
        return ByteBuffer.wrap(backing, 3, data.length).slice();
    }

    /** Every field of a request, space-separated, then each header field as {@code |name=value|}. */
    static String describe(Request r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.method()).append(' ').append(r.methodToken()).append(' ').append(r.target()).append(' ')
                .append(r.path()).append(' ').append(r.query()).append(' ').append(r.version().text()).append(' ')
                .append(r.host()).append(' ').append(r.keepAlive()).append(' ').append(r.bodyLength());
        Headers h = r.headers();
        for (int i = 0; i < h.size(); i++) sb.append(" |").append(h.name(i)).append('=').append(h.value(i)).append('|');
        return sb.toString();
    }

    /** describe() without the headers. */
    static String summary(String description) {
        int i = description.indexOf(" |");
        return i < 0 ? description : description.substring(0, i);
    }
}
