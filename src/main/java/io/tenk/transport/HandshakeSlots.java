package io.tenk.transport;

import java.util.ArrayDeque;

/**
 * How many TLS handshakes may be under way at once in this process. A connection in the middle of
 * its handshake holds its record buffers and the engine's key exchange (about 100 KiB of heap), so
 * a flood of clients that each send a ClientHello could fill the heap. A handshake holds its slot
 * from its first byte until it finishes or its connection closes (the header timeout bounds a
 * stalled one).
 *
 * <p>Past the limit, a connection served by an event loop waits for a slot ({@link #takeOrWait}),
 * holding no buffers: its ClientHello stays in the kernel's socket buffer, as it would in the
 * listen backlog, and the first slot given back goes to the longest waiting. A connection with a
 * thread of its own has no loop to park it on: it is closed at its first bytes ({@link #take}).
 *
 * <p>The limit: a quarter of the heap at 128 KiB a handshake (512 with the launcher's 256 MiB),
 * at least 64; the system property {@code tenk.tls.maxHandshakes} sets another.
 */
final class HandshakeSlots {
    static final int MAX = Integer.getInteger("tenk.tls.maxHandshakes",
            (int) Math.max(64, Runtime.getRuntime().maxMemory() / 4 / (128 * 1024)));
    private static final Object LOCK = new Object();
    private static final ArrayDeque<Waiter> WAITING = new ArrayDeque<>(); // guarded by LOCK
    private static int inUse; // guarded by LOCK

    private HandshakeSlots() {}

    /** A connection waiting for a slot: granted one later, or cancelled (closed while waiting). */
    static final class Waiter {
        private final Runnable onGrant;
        private volatile boolean granted;
        private boolean cancelled; // guarded by LOCK

        private Waiter(Runnable onGrant) { this.onGrant = onGrant; }

        /** Whether a slot is now this waiter's (it then gives it back like one it took). */
        boolean granted() { return granted; }
    }

    /** Takes a slot for a handshake about to begin; false when every slot is taken. */
    static boolean take() {
        synchronized (LOCK) {
            if (inUse >= MAX) return false;
            inUse++;
            return true;
        }
    }

    /**
     * Takes a slot (returns null) or queues for the next one given back (returns the waiter;
     * {@code onGrant} runs, on the giving thread, once the slot is the waiter's).
     */
    static Waiter takeOrWait(Runnable onGrant) {
        synchronized (LOCK) {
            if (inUse < MAX) {
                inUse++;
                return null;
            }
            Waiter w = new Waiter(onGrant);
            WAITING.add(w);
            return w;
        }
    }

    /** Leaves the queue; returns true when a slot was granted meanwhile: the caller gives it back. */
    static boolean cancel(Waiter w) {
        synchronized (LOCK) {
            if (w.granted) return true;
            w.cancelled = true;
            return false;
        }
    }

    /** Gives back a slot: to the longest waiting connection, if any. */
    static void give() {
        Waiter next;
        synchronized (LOCK) {
            do next = WAITING.poll(); while (next != null && next.cancelled);
            if (next == null) {
                inUse--;
                return;
            }
            next.granted = true;
        }
        next.onGrant.run();
    }
}
