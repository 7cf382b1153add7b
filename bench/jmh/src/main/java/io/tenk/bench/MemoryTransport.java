package io.tenk.bench;

import io.tenk.conn.Transport;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A transport with no socket under it: each read hands out the next request, writes and file
 * regions are taken whole and counted. What is left to measure is the session's own work.
 */
final class MemoryTransport implements Transport {
    private ByteBuffer next;
    long written;

    /** The request bytes to read next, from their start (the buffer is the caller's, read in place). */
    void arrive(ByteBuffer request) { next = request.rewind(); }

    @Override public int read(ByteBuffer dst) {
        if (next == null || !next.hasRemaining()) return 0;
        int n = next.remaining();
        dst.put(next);
        return n;
    }

    @Override public long write(ByteBuffer[] srcs) {
        long n = 0;
        for (ByteBuffer b : srcs) {
            n += b.remaining();
            b.position(b.limit());
        }
        written += n;
        return n;
    }

    @Override public int write(ByteBuffer src) {
        int n = src.remaining();
        src.position(src.limit());
        written += n;
        return n;
    }

    @Override public long sendFile(FileChannel file, long position, long count) {
        written += count;
        return count;
    }

    @Override public void shutdownOutput() { }

    @Override public void close() { }

    @Override public String remote() { return "127.0.0.1"; }
}
