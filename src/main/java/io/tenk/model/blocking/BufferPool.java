package io.tenk.model.blocking;

import io.tenk.conn.IoBuffers;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Head buffers lent to blocking connections for the length of one session event, so a thousand
 * idle connections do not each hold one. Keeps at most {@code keep} free.
 */
final class BufferPool {
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger freeCount = new AtomicInteger();
    private final int keep;

    BufferPool(int keep) { this.keep = keep; }

    ByteBuffer take() {
        ByteBuffer b = free.poll();
        if (b == null) return ByteBuffer.allocateDirect(IoBuffers.HEAD_SIZE);
        freeCount.decrementAndGet();
        return b;
    }

    void give(ByteBuffer b) {
        if (freeCount.incrementAndGet() <= keep) free.add(b);
        else freeCount.decrementAndGet();
    }
}
