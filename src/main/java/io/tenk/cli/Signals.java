package io.tenk.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the server cleanly and the process exits 0 (a plain shutdown hook would
 * make the JVM exit 143 or 130 after a signal).
 */
final class Signals {
    private Signals() {}

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
