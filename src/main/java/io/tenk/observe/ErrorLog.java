package io.tenk.observe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Operational messages on stderr (or appended to a file), one line each: {@code TIME LEVEL
 * MESSAGE}, or, with the JSON log format, one object per line ({@code {"time":…,"level":…,
 * "message":…}}) for a log pipeline. A stack trace follows only in debug mode; otherwise a
 * failure is described by its message alone, never by a class name.
 */
public final class ErrorLog {
    private final Object lock = new Object();
    private PrintStream err;   // guarded by lock (replaced by reopen)
    private final Path file;   // the file appended to, or null
    private final boolean debug;
    private final boolean json;

    public ErrorLog(PrintStream err, boolean debug) {
        this(err, null, debug, false);
    }

    private ErrorLog(PrintStream err, Path file, boolean debug, boolean json) {
        this.err = err;
        this.file = file;
        this.debug = debug;
        this.json = json;
    }

    public static ErrorLog stderr(boolean debug) { return stderr(debug, false); }

    /** On stderr, one JSON object per line when {@code json}. */
    public static ErrorLog stderr(boolean debug, boolean json) { return new ErrorLog(System.err, null, debug, json); }

    /** As {@link #toFile(Path, boolean)}, one JSON object per line when {@code json}. */
    public static ErrorLog toFile(Path file, boolean debug, boolean json) throws IOException {
        return new ErrorLog(print(file), file, debug, json);
    }

    /**
     * A log appended to {@code file} (created when missing); {@link #reopen()} opens it again.
     *
     * @throws IOException with a message naming the file, when it cannot be opened
     */
    public static ErrorLog toFile(Path file, boolean debug) throws IOException {
        return toFile(file, debug, false);
    }

    private static PrintStream print(Path file) throws IOException {
        return new PrintStream(LogFiles.open(file), false, StandardCharsets.UTF_8);
    }

    /**
     * Opens the log's file again by its name (log rotation); a line is written whole to one file
     * or the other. Nothing happens for stderr. When the file cannot be opened, the old one stays.
     */
    public void reopen() throws IOException {
        if (file == null) return;
        PrintStream next = print(file);
        PrintStream old;
        synchronized (lock) {
            old = err;
            err = next;
        }
        old.close();
    }

    public boolean debug() { return debug; }

    public void info(String message) { line("info", message); }

    public void warn(String message) { line("warn", message); }

    /** An unexpected failure: one line with what failed and why; the trace only under --debug. */
    public void error(String what, Throwable t) {
        line("error", what + ": " + describe(t));
        if (debug && t != null) {
            synchronized (lock) { t.printStackTrace(err); }
        }
    }

    /** A debug-level event (routine client behaviour such as a reset); printed only under --debug. */
    public void debug(String message) {
        if (debug) line("debug", message);
    }

    private void line(String level, String message) {
        String ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String text;
        if (json) {
            StringBuilder b = new StringBuilder(message.length() + 64).append("{\"time\":\"").append(ts)
                    .append("\",\"level\":\"").append(level).append("\",\"message\":");
            AccessLog.jsonString(message, b);
            text = b.append('}').toString();
        } else {
            text = ts + " " + level + " " + message;
        }
        synchronized (lock) {
            err.println(text);
            err.flush();
        }
    }

    /** The failure's own message, or a neutral phrase when it has none. Never the class name. */
    public static String describe(Throwable t) {
        if (t == null) return "unknown failure";
        String m = t.getMessage();
        return m == null || m.isBlank() ? "unexpected failure" : m.strip().replaceAll("[\\r\\n]+", " ");
    }
}
