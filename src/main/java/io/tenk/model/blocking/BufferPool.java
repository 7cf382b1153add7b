package io.tenk.model.blocking;

import io.tenk.conn.IoBuffers;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffers lent to blocking sessions for the length of one session event, so a thousand idle
 * connections do not each hold a head buffer. Keeps at most {@code keep} free sets.
 */
final class BufferPool {
    private final ConcurrentLinkedQueue<IoBuffers> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger freeCount = new AtomicInteger();
    private final int keep;

    BufferPool(int keep) { this.keep = keep; }

    IoBuffers take() {
        IoBuffers b = free.poll();
        if (b == null) return new IoBuffers(0); // blocking sessions read into their own chunk
        freeCount.decrementAndGet();
        return b;
    }

    void give(IoBuffers b) {
        if (freeCount.incrementAndGet() <= keep) free.add(b);
        else freeCount.decrementAndGet();
    }
}
