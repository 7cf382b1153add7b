package io.tenk.support;

import java.time.Duration;

/** Waiting for a condition with a deadline, for tests that watch other processes. */
public final class Await {
    private Await() {}

    /** A condition that may throw while it is asked. */
    @FunctionalInterface
    public interface Condition { boolean holds() throws Exception; }

    /** Asks {@code c} every 10 ms until it holds; an AssertionError naming {@code what} after {@code limit}. */
    public static void until(Condition c, Duration limit, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(10); // polling a condition with a deadline
        }
    }
}
