package io.tenk.model.nio;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;

/**
 * What the native readiness sources ({@link SelectReadiness}, {@link PollReadiness},
 * {@link EpollReadiness}) share: an eventfd another thread writes to wake the loop, the listening
 * socket's descriptor, and a table from descriptor to connection (descriptors are small integers
 * the kernel reuses, so an array indexed by them is the natural map). The table may be read and
 * changed by several threads ({@link SharedEpoll}): changes are serialised, reads see a whole array.
 */
abstract class NativeReadiness implements Readiness {
    protected final int wakeFd;
    protected int serverFd = -1;
    protected boolean accepting = true;
    private volatile Registration[] byFd = new Registration[1024];
    private boolean closed; // guarded by this: wakeup() must never write to a descriptor reused since

    protected NativeReadiness() throws IOException {
        Native.check();
        wakeFd = Native.eventFd();
    }

    @Override public void listen(ServerSocketChannel server) throws IOException {
        serverFd = ChannelFds.of(server);
    }

    @Override public void accepting(boolean on) { accepting = on; }

    /** Records a new connection's descriptor; returns it. */
    protected synchronized int track(Registration r) throws IOException {
        int fd = r.channel != null ? ChannelFds.of(r.channel) : r.fd;
        if (fd < 0) throw new IOException("the connection has no descriptor (closed)");
        Registration[] table = byFd;
        if (fd >= table.length) table = Arrays.copyOf(table, Math.max(fd + 1, table.length * 2));
        table[fd] = r;
        byFd = table;
        r.fd = fd;
        return fd;
    }

    /**
     * Forgets a connection's descriptor; returns false when the table no longer holds {@code r}
     * there (already forgotten, or the descriptor was closed and another connection now has it).
     */
    protected synchronized boolean untrack(Registration r) {
        Registration[] table = byFd;
        if (r.fd < 0 || r.fd >= table.length || table[r.fd] != r) return false;
        table[r.fd] = null;
        return true;
    }

    /** The open connection on {@code fd}, or null (closed since the kernel reported it). */
    protected Registration at(int fd) {
        Registration[] table = byFd;
        return fd >= 0 && fd < table.length ? table[fd] : null;
    }

    @Override public synchronized void wakeup() {
        if (!closed) Native.signal(wakeFd);
    }

    @Override public final synchronized void close() {
        if (closed) return;
        closed = true;
        Native.close(wakeFd);
        release();
    }

    /** Releases what a source holds beyond the eventfd (once, on the loop's thread). */
    protected void release() { }

    /** A wait's timeout in milliseconds, at least 1 (0 would spin). */
    protected static int millis(long timeoutNanos) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutNanos / 1_000_000));
    }
}
