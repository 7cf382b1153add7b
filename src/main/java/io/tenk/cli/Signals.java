package io.tenk.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the server cleanly and the process exits 0 (a plain shutdown hook would
 * make the JVM exit 143 or 130 after a signal). SIGHUP reloads the config.
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

    static void onTerminate(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.run());
            } catch (IllegalArgumentException e) {
                // signal not available on this platform: the JVM's default handling applies
            }
        }
    }
}
