package io.tenk.cli;

import sun.misc.Signal;

/**
 * The signals tenk answers (a plain shutdown hook would make the JVM exit 143 or 130 after a
 * signal, without a word): SIGTERM stops cleanly, SIGINT (Ctrl-C) is the terminal's stop (the
 * CLI counts them), SIGHUP reloads the config, SIGUSR1 reopens the log files.
 */
final class Signals {
    private Signals() {}

    /** SIGHUP runs {@code reload} (on the JVM's signal thread, one at a time). */
    static void onReload(Runnable reload) {
        try {
            Signal.handle(new Signal("HUP"), s -> reload.run());
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this platform
        }
    }

    /** SIGUSR1 runs {@code reopen} (logrotate's postrotate). */
    static void onReopen(Runnable reopen) { handle("USR1", reopen); }

    /** SIGTERM runs {@code stop} (the process then exits 0 once stopped). */
    static void onTerminate(Runnable stop) { handle("TERM", stop); }

    /** SIGINT (Ctrl-C) runs {@code interrupt}, each time. */
    static void onInterrupt(Runnable interrupt) { handle("INT", interrupt); }

    private static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), s -> action.run());
        } catch (IllegalArgumentException e) {
            // signal not available on this platform: the JVM's default handling applies
        }
    }
}
