package io.tenk.observe;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line per request in Combined Log Format:
 * {@code host - - [time] "request line" status bytes "referer" "user-agent"}.
 *
 * <p>Lines are buffered and written by a daemon flusher a few times per second (and on
 * {@link #close()}), so logging never makes a request wait on the terminal. Fields that come
 * from the client are escaped: control characters, {@code "} and {@code \} become {@code \xHH},
 * {@code \"} and {@code \\}, so a request cannot inject terminal escapes or fake lines.
 */
public final class AccessLog implements AutoCloseable {
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final AccessLog DISABLED = new AccessLog(null, false);
    private static final int FLUSH_AT = 32 * 1024;

    private final OutputStream out;
    private final StringBuilder buf = new StringBuilder(FLUSH_AT + 1024);
    private final Thread flusher;
    private long timeSecond = Long.MIN_VALUE;
    private String timeText = "";
    private volatile boolean closed;

    private AccessLog(OutputStream out, boolean startFlusher) {
        this.out = out;
        if (startFlusher) {
            flusher = Thread.ofPlatform().daemon().name("tenk-access-log").unstarted(this::flushLoop);
            flusher.start();
        } else {
            flusher = null;
        }
    }

    /** A log that writes to stdout. */
    public static AccessLog toStdout() { return new AccessLog(new FileOutputStream(FileDescriptor.out), true); }

    /** A log that writes to the given stream (tests). */
    public static AccessLog to(OutputStream out) { return new AccessLog(out, true); }

    /** A log that drops every line ({@code -q}). */
    public static AccessLog disabled() { return DISABLED; }

    public boolean enabled() { return out != null; }

    /**
     * Records one exchange.
     *
     * @param remote      the client address, e.g. {@code 127.0.0.1}
     * @param requestLine the request line as received, or null when none was parsed
     * @param status      the status code sent
     * @param bytes       content bytes sent (0 is logged as "-")
     * @param referer     the Referer field or null
     * @param userAgent   the User-Agent field or null
     */
    public void log(String remote, String requestLine, int status, long bytes, String referer, String userAgent) {
        if (out == null) return;
        synchronized (buf) {
            long now = System.currentTimeMillis() / 1000;
            if (now != timeSecond) {
                timeSecond = now;
                timeText = CLF_TIME.format(Instant.ofEpochSecond(now));
            }
            buf.append(remote).append(" - - [").append(timeText).append("] \"");
            escape(requestLine, buf);
            buf.append("\" ").append(status).append(' ');
            if (bytes > 0) buf.append(bytes); else buf.append('-');
            buf.append(" \"");
            escape(referer, buf);
            buf.append("\" \"");
            escape(userAgent, buf);
            buf.append("\"\n");
            if (buf.length() >= FLUSH_AT) flushLocked();
        }
    }

    /** Appends a line already formatted elsewhere (a prefork worker's), as it is. */
    public void raw(String line) {
        if (out == null) return;
        synchronized (buf) {
            buf.append(line).append('\n');
            if (buf.length() >= FLUSH_AT) flushLocked();
        }
    }

    /**
     * {@code s} ("-" when null) safe to print on a terminal or in a log line: control characters
     * (C0, DEL, C1) become {@code \xHH}, {@code "} and {@code \} are escaped, characters beyond
     * Latin-1 become a backslash, 'u' and four hex digits.
     */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s == null ? 1 : s.length() + 8);
        escape(s, b);
        return b.toString();
    }

    /** Appends {@code s} ("-" when null) with client-controlled characters escaped. */
    static void escape(String s, StringBuilder to) {
        if (s == null) { to.append('-'); return; }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                to.append('\\').append(c);
            } else if (c > 0xff) {
                to.append("\\u");
                for (int shift = 12; shift >= 0; shift -= 4) to.append(Character.forDigit((c >> shift) & 0xf, 16));
            } else if (c < 0x20 || c >= 0x7f) {
                to.append("\\x").append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                to.append(c);
            }
        }
    }

    public void flush() {
        if (out == null) return;
        synchronized (buf) { flushLocked(); }
    }

    private void flushLocked() {
        if (buf.isEmpty()) return;
        try {
            out.write(buf.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // stdout is gone (closed pipe): nothing sensible to do but drop the lines
        }
        buf.setLength(0);
    }

    private void flushLoop() {
        while (!closed) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                break;
            }
            flush();
        }
    }

    @Override public void close() {
        closed = true;
        if (flusher != null) flusher.interrupt();
        flush();
    }
}
