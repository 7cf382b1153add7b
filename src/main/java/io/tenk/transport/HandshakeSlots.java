package io.tenk.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many TLS handshakes may be under way at once in this process. A connection in the middle of
 * its handshake holds its record buffers and the engine's key exchange (about 100 KiB of heap), so
 * a flood of clients that each send a ClientHello could fill the heap: past the limit, a new
 * connection is closed when its first bytes arrive, and the handshakes under way, and the
 * connections already established, go on. A handshake holds its slot from its first byte until
 * it finishes or its connection closes (the header timeout bounds a stalled one).
 *
 * <p>The limit: a quarter of the heap at 128 KiB a handshake (512 with the launcher's 256 MiB),
 * at least 64; the system property {@code tenk.tls.maxHandshakes} sets another.
 */
final class HandshakeSlots {
    static final int MAX = Integer.getInteger("tenk.tls.maxHandshakes",
            (int) Math.max(64, Runtime.getRuntime().maxMemory() / 4 / (128 * 1024)));
    private static final AtomicInteger IN_USE = new AtomicInteger();

    private HandshakeSlots() {}

    /** Takes a slot for a handshake about to begin; false when every slot is taken. */
    static boolean take() {
        while (true) {
            int n = IN_USE.get();
            if (n >= MAX) return false;
            if (IN_USE.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives back a slot taken by {@link #take}. */
    static void give() { IN_USE.decrementAndGet(); }

    /** Handshakes under way now. */
    static int inUse() { return IN_USE.get(); }
}
