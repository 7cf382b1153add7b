package io.tenk.model.blocking;

import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * A blocking socket as a transport: a read waits for input up to the time its connection allows
 * ({@link #readTimeout}), then returns 0; a write waits until the socket took something. What
 * the blocking models' watchdog needs to see from another thread is kept here: whether a write
 * call is stuck, and whether the thread is blocked in a read.
 */
final class BlockingTransport extends SocketTransport {
    /**
     * A blocking sendfile returns only once it sent everything it was given, so a call is capped:
     * a client reading slowly still completes calls, and one that reads nothing is seen stuck in one.
     */
    private static final long FILE_CHUNK = 256 * 1024;

    private final InputStream in;
    private volatile long writingSince;   // System.nanoTime() while a write call is under way, else 0
    private volatile boolean reading;     // blocked in a read

    BlockingTransport(SocketChannel ch) throws IOException {
        super(ch);
        this.in = ch.socket().getInputStream();
    }

    /** How long the next read may wait for input (at least 1 ms). */
    void readTimeout(long nanos) throws IOException {
        channel.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, (nanos + 999_999) / 1_000_000)));
    }

    @Override public int read(ByteBuffer dst) throws IOException {
        int n;
        reading = true;
        try {
            n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        } catch (SocketTimeoutException e) {
            return 0;
        } finally {
            reading = false;
        }
        if (n > 0) dst.position(dst.position() + n);
        return n;
    }

    @Override public long write(ByteBuffer[] srcs) throws IOException {
        writingSince = started();
        try {
            return super.write(srcs);
        } finally {
            writingSince = 0;
        }
    }

    @Override public int write(ByteBuffer src) throws IOException {
        writingSince = started();
        try {
            return super.write(src);
        } finally {
            writingSince = 0;
        }
    }

    @Override public long sendFile(FileChannel file, long position, long count) throws IOException {
        writingSince = started();
        try {
            return super.sendFile(file, position, Math.min(count, FILE_CHUNK));
        } finally {
            writingSince = 0;
        }
    }

    private static long started() {
        long now = System.nanoTime();
        return now == 0 ? 1 : now;
    }

    /** Any thread: whether one write call has been under way since before {@code now - nanos}. */
    boolean writeStuck(long now, long nanos) {
        long since = writingSince;
        return since != 0 && now - since > nanos;
    }

    /** Any thread: whether the connection's thread is blocked in a read. */
    boolean reading() { return reading; }

    /** Any thread: ends the connection whatever its thread is doing; that thread then cleans up. */
    void kill() {
        try {
            // shutdown(2) first: it also ends a sendfile blocked in the kernel, which a close from
            // another thread does not reach when the writer is a virtual thread
            channel.shutdownOutput();
            channel.shutdownInput();
        } catch (IOException e) {
            // not connected any more: the close below is all that is left
        }
        close();
    }
}
