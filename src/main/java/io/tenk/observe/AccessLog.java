package io.tenk.observe;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line per request, in Combined Log Format:
 * {@code host - - [time] "request line" status bytes "referer" "user-agent"}, or, as
 * {@link Format#JSON}, one JSON object per line with the same fields:
 * {@code {"time":"2026-11-30T04:01:09.123Z","remote":"127.0.0.1","request":"GET / HTTP/1.1",
 * "method":"GET","target":"/","protocol":"HTTP/1.1","status":200,"bytes":23,"referer":null,
 * "user_agent":"curl/8.5.0"}} (method, target and protocol are null when the request line was not
 * three words, e.g. a refused one).
 *
 * <p>Lines are buffered and written by a daemon flusher: the first line of a batch wakes it, it
 * waits {@value #BATCH_MILLIS} ms for more to join, then writes them at once (also when
 * {@value #FLUSH_AT} bytes pile up, and on {@link #close()}). A line is on the terminal within
 * about {@value #BATCH_MILLIS} ms, and logging never makes a request wait on the terminal. Fields
 * that come from the client are escaped: in the combined format, control characters, {@code "}
 * and {@code \} become {@code \xHH}, {@code \"} and {@code \\}; in JSON, as JSON strings with
 * everything outside printable ASCII as a {@code &#92;u} escape. So a request cannot inject terminal
 * escapes or fake lines.
 */
public final class AccessLog implements AutoCloseable {

    /** The line format: Combined Log Format, or one JSON object per line. */
    public enum Format { COMBINED, JSON }

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final AccessLog DISABLED = new AccessLog(null, null, Format.COMBINED, false);
    private static final int FLUSH_AT = 32 * 1024;
    /** How long the flusher lets lines gather after the first of a batch. */
    static final int BATCH_MILLIS = 25;

    private OutputStream out;   // guarded by buf (replaced by reopen)
    private final boolean enabled;
    private final Path file;    // the file appended to, or null (stdout, a stream)
    private final Format format;
    private final StringBuilder buf = new StringBuilder(FLUSH_AT + 1024);
    private final Thread flusher;
    private long timeSecond = Long.MIN_VALUE;
    private String timeText = "";
    private volatile boolean closed;

    private AccessLog(OutputStream out, Path file, Format format, boolean startFlusher) {
        this.out = out;
        this.enabled = out != null;
        this.file = file;
        this.format = format;
        if (startFlusher) {
            flusher = Thread.ofPlatform().daemon().name("tenk-access-log").unstarted(this::flushLoop);
            flusher.start();
        } else {
            flusher = null;
        }
    }

    /** A log that writes to stdout. */
    public static AccessLog toStdout(Format format) { return new AccessLog(new FileOutputStream(FileDescriptor.out), null, format, true); }

    /**
     * A log appended to {@code file} (created when missing); {@link #reopen()} opens it again by
     * name, for log rotation.
     *
     * @throws IOException with a message naming the file, when it cannot be opened
     */
    public static AccessLog toFile(Path file, Format format) throws IOException {
        return new AccessLog(LogFiles.open(file), file, format, true);
    }

    /**
     * A log that writes each line to stdout at once, for a process that serves one connection
     * ({@code process}'s child): its stdout may be gone once the connection has closed.
     */
    public static AccessLog toStdoutUnbatched(Format format) {
        return new AccessLog(new FileOutputStream(FileDescriptor.out), null, format, false);
    }

    /** A log that writes combined lines to the given stream (tests). */
    public static AccessLog to(OutputStream out) { return to(out, Format.COMBINED); }

    /** A log that writes to the given stream (tests). */
    public static AccessLog to(OutputStream out, Format format) { return new AccessLog(out, null, format, true); }

    /** A log that drops every line ({@code -q}). */
    public static AccessLog disabled() { return DISABLED; }

    public boolean enabled() { return enabled; }

    /**
     * Opens the log's file again by its name (after logrotate moved it away): every line logged
     * before is written whole to the old file, every line after goes to the new one; no line is
     * lost or split, since lines are written only whole and under the same lock. Nothing happens
     * for a log that is not a file. When the file cannot be opened, the old one stays in use.
     */
    public void reopen() throws IOException {
        if (file == null) return;
        synchronized (buf) {
            flushLocked();
            OutputStream next = LogFiles.open(file);
            OutputStream old = out;
            out = next;
            LogFiles.closeQuietly(old);
        }
    }

    /**
     * Records one exchange.
     *
     * @param remote      the client address, e.g. {@code 127.0.0.1}
     * @param requestLine the request line as received, or null when none was parsed
     * @param status      the status code sent
     * @param bytes       content bytes sent (0 is logged as "-" in the combined format)
     * @param referer     the Referer field or null
     * @param userAgent   the User-Agent field or null
     */
    public void log(String remote, String requestLine, int status, long bytes, String referer, String userAgent) {
        if (!enabled) return;
        synchronized (buf) {
            boolean first = buf.isEmpty();
            long nowMillis = System.currentTimeMillis();
            long now = nowMillis / 1000;
            if (now != timeSecond) {
                timeSecond = now;
                timeText = (format == Format.JSON ? ISO_SECOND : CLF_TIME).format(Instant.ofEpochSecond(now));
            }
            if (format == Format.JSON) {
                json(nowMillis, remote, requestLine, status, bytes, referer, userAgent);
            } else {
                buf.append(remote).append(" - - [").append(timeText).append("] \"");
                escape(requestLine, buf);
                buf.append("\" ").append(status).append(' ');
                if (bytes > 0) buf.append(bytes); else buf.append('-');
                buf.append(" \"");
                escape(referer, buf);
                buf.append("\" \"");
                escape(userAgent, buf);
                buf.append("\"\n");
            }
            added(first);
        }
    }

    private void json(long nowMillis, String remote, String requestLine, int status, long bytes, String referer, String userAgent) {
        long ms = nowMillis % 1000;
        buf.append("{\"time\":\"").append(timeText).append('.')
                .append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10))
                .append("Z\",\"remote\":");
        jsonString(remote, buf);
        buf.append(",\"request\":");
        jsonString(requestLine, buf);
        String[] words = requestLine == null ? new String[0] : requestLine.split(" ", -1);
        boolean three = words.length == 3;
        buf.append(",\"method\":");
        jsonString(three ? words[0] : null, buf);
        buf.append(",\"target\":");
        jsonString(three ? words[1] : null, buf);
        buf.append(",\"protocol\":");
        jsonString(three ? words[2] : null, buf);
        buf.append(",\"status\":").append(status).append(",\"bytes\":").append(bytes).append(",\"referer\":");
        jsonString(referer, buf);
        buf.append(",\"user_agent\":");
        jsonString(userAgent, buf);
        buf.append("}\n");
    }

    /** Appends {@code s} as a JSON string ({@code null} when null), ASCII only. */
    static void jsonString(String s, StringBuilder to) {
        if (s == null) { to.append("null"); return; }
        to.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                to.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                to.append("\\u");
                for (int shift = 12; shift >= 0; shift -= 4) to.append(Character.forDigit((c >> shift) & 0xf, 16));
            } else {
                to.append(c);
            }
        }
        to.append('"');
    }

    /** After a line was appended (lock held): wake the flusher for a new batch, or write a full buffer (or, unbatched, the line) now. */
    private void added(boolean first) {
        if (buf.length() >= FLUSH_AT || flusher == null) flushLocked();
        else if (first) buf.notifyAll();
    }

    /** Appends a line already formatted elsewhere (a prefork worker's), as it is. */
    public void raw(String line) {
        if (!enabled) return;
        synchronized (buf) {
            boolean first = buf.isEmpty();
            buf.append(line).append('\n');
            added(first);
        }
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
        if (!enabled) return;
        synchronized (buf) { flushLocked(); }
    }

    /**
     * Writes {@code text} (whole lines) to the log's stream between two batches of access lines,
     * so that neither splits the other: what a {@code prefork} worker sends its master on the
     * pipe that carries its access lines. Returns false when the log is off (the caller writes
     * {@code text} itself: no access line can come between).
     */
    public boolean writeBetweenLines(String text) {
        if (!enabled) return false;
        synchronized (buf) {
            flushLocked();
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // the pipe is gone: the master is too
            }
        }
        return true;
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
        synchronized (buf) {
            try {
                while (!closed) {
                    while (buf.isEmpty() && !closed) buf.wait();
                    // let the lines of a burst join this write: one write per batch under load
                    long until = System.nanoTime() + BATCH_MILLIS * 1_000_000L;
                    for (long left; !closed && (left = until - System.nanoTime()) > 0; ) {
                        buf.wait(Math.max(1, left / 1_000_000));
                    }
                    flushLocked();
                }
            } catch (InterruptedException e) {
                // closing
            }
        }
    }

    @Override public void close() {
        closed = true;
        if (flusher != null) flusher.interrupt();
        flush();
        if (file != null) {
            synchronized (buf) { LogFiles.closeQuietly(out); }
        }
    }
}
