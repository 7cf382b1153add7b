package io.tenk.model.nio;

import io.tenk.conn.Step;

import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * No readiness at all: every pass tries to accept and tries every connection at what it waits
 * for, one system call each, ready or not. A pass that did nothing parks the thread, backing off
 * from 0.1 ms to 5 ms, so an idle server sleeps; a busy one pays O(n) calls per pass however few
 * are ready, which is why servers moved to select, poll and epoll.
 */
final class PollingReadiness implements Readiness {
    private static final long MIN_PARK_NANOS = 100_000L;
    private static final long MAX_PARK_NANOS = 5_000_000L;

    private volatile Thread thread;
    private boolean listening;
    private boolean accepting = true;
    private boolean busy = true;
    private long park = MIN_PARK_NANOS;

    @Override public void listen(ServerSocketChannel server) { listening = true; }

    @Override public void accepting(boolean on) { accepting = on; }

    @Override public void add(Registration r) { }

    @Override public void waitFor(Registration r, Step step) { }

    @Override public void remove(Registration r) { }

    @Override public void poll(long timeoutNanos, List<Registration> all, Events events) {
        thread = Thread.currentThread();
        if (busy) {
            park = MIN_PARK_NANOS;
        } else {
            LockSupport.parkNanos(Math.min(park, Math.max(1, timeoutNanos)));
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
        boolean did = listening && accepting && events.acceptable();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (i >= all.size()) continue; // a close swapped the last one in: it was already tried
            did |= events.ready(all.get(i));
        }
        busy = did;
    }

    @Override public void wakeup() {
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }

    @Override public void close() { }
}
