package io.tenk.model.nio;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;

/**
 * What the native readiness sources ({@link SelectReadiness}, {@link PollReadiness},
 * {@link EpollReadiness}) share: an eventfd another thread writes to wake the loop, the listening
 * socket's descriptor, and a table from descriptor to connection (descriptors are small integers
 * the kernel reuses, so an array indexed by them is the natural map).
 */
abstract class NativeReadiness implements Readiness {
    protected final int wakeFd;
    protected int serverFd = -1;
    protected boolean accepting = true;
    private Registration[] byFd = new Registration[1024];
    private boolean closed; // guarded by this: wakeup() must never write to a descriptor reused since

    protected NativeReadiness() throws IOException {
        Native.check();
        wakeFd = Native.eventFd();
    }

    @Override public void listen(ServerSocketChannel server) throws IOException {
        serverFd = Native.fd(server);
    }

    @Override public void accepting(boolean on) { accepting = on; }

    /** Records a new connection's descriptor; returns it. */
    protected int track(Registration r) throws IOException {
        int fd = Native.fd(r.transport.channel());
        if (fd < 0) throw new IOException("the connection has no descriptor (closed)");
        if (fd >= byFd.length) byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        byFd[fd] = r;
        r.fd = fd;
        return fd;
    }

    protected void untrack(Registration r) {
        if (r.fd >= 0 && r.fd < byFd.length && byFd[r.fd] == r) byFd[r.fd] = null;
    }

    /** The open connection on {@code fd}, or null (closed since the kernel reported it). */
    protected Registration at(int fd) { return fd >= 0 && fd < byFd.length ? byFd[fd] : null; }

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
