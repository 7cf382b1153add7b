package io.tenk.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The buffers TLS connections move records through (about 20 KiB each: the largest record, and
 * room to queue small ones before it), lent to a connection while it has bytes in flight and
 * taken back while it waits between requests, so an idle TLS connection holds its engine and no
 * buffers. One pool for the process, holding at most
 * {@value #KEPT} buffers (about 5 MiB) when connections give back more than others take.
 */
final class RecordBuffers {
    static final int KEPT = 256;

    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger FREE_COUNT = new AtomicInteger();

    private RecordBuffers() {}

    /** An empty buffer of at least {@code size} bytes. */
    static ByteBuffer take(int size) {
        ByteBuffer b = FREE.poll();
        if (b == null) return ByteBuffer.allocate(size);
        FREE_COUNT.decrementAndGet();
        if (b.capacity() < size) return ByteBuffer.allocate(size); // kept from an older engine's size: let it go
        return b.clear();
    }

    /** Takes back a buffer its connection no longer uses (null: nothing). */
    static void give(ByteBuffer b) {
        if (b == null || FREE_COUNT.incrementAndGet() > KEPT) {
            if (b != null) FREE_COUNT.decrementAndGet();
            return;
        }
        FREE.add(b);
    }
}
