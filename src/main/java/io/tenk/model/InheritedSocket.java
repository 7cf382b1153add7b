package io.tenk.model;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;

/**
 * A listening socket handed over by the service manager (systemd socket activation): the socket
 * stays open across restarts, so a connection that arrives while tenk restarts waits in its queue
 * instead of being refused.
 *
 * <p>systemd passes the socket as descriptor 3 and says so in {@code LISTEN_FDS} and
 * {@code LISTEN_PID}; the JDK takes an inherited socket only from descriptor 0
 * ({@link System#inheritedChannel()}), so the unit connects standard input to it
 * ({@code StandardInput=socket}, one socket, {@code Accept=no}). Only the JDK is used.
 */
public final class InheritedSocket {
    private InheritedSocket() {}

    /** Whether the service manager passed this process listening sockets ({@code LISTEN_PID} is this process). */
    public static boolean offered() {
        String pid = System.getenv("LISTEN_PID");
        return pid != null && pid.equals(Long.toString(ProcessHandle.current().pid())) && System.getenv("LISTEN_FDS") != null;
    }

    /** The listening socket on standard input; an IOException that says what to change when there is none. */
    static ServerSocketChannel take() throws IOException {
        if (!"1".equals(System.getenv("LISTEN_FDS"))) {
            throw new IOException("socket activation passed " + System.getenv("LISTEN_FDS")
                    + " sockets: tenk takes exactly one (one ListenStream= in the .socket unit)");
        }
        Channel c = System.inheritedChannel();
        if (c instanceof ServerSocketChannel s) return s;
        throw new IOException("socket activation: standard input is not the listening socket"
                + " (set StandardInput=socket in the .service unit)");
    }
}
