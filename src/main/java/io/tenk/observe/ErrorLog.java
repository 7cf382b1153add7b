package io.tenk.observe;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Operational messages on stderr, one line each. A stack trace follows only in debug mode;
 * otherwise a failure is described by its message alone, never by a class name.
 */
public final class ErrorLog {
    private final PrintStream err;
    private final boolean debug;

    public ErrorLog(PrintStream err, boolean debug) {
        this.err = err;
        this.debug = debug;
    }

    public static ErrorLog stderr(boolean debug) { return new ErrorLog(System.err, debug); }

    public boolean debug() { return debug; }

    public void info(String message) { line("info", message); }

    public void warn(String message) { line("warn", message); }

    /** An unexpected failure: one line with what failed and why; the trace only under --debug. */
    public void error(String what, Throwable t) {
        line("error", what + ": " + describe(t));
        if (debug && t != null) {
            synchronized (err) { t.printStackTrace(err); }
        }
    }

    /** A debug-level event (routine client behaviour such as a reset); printed only under --debug. */
    public void debug(String message) {
        if (debug) line("debug", message);
    }

    private void line(String level, String message) {
        String ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        synchronized (err) {
            err.println(ts + " " + level + " " + message);
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
