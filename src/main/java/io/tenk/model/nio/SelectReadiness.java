package io.tenk.model.nio;

import io.tenk.conn.Step;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * select(2) called directly, the 1983 interface: two bitmaps of descriptors (read, write) handed
 * to the kernel and overwritten by it on every wait, so rebuilt each pass, and then scanned up
 * to the highest descriptor. A bitmap ({@code fd_set}) has {@value Native#FD_SETSIZE} bits, so a
 * descriptor numbered 1,024 or more cannot be watched at all: setting its bit would write past
 * the set (the classic memory corruption). Such a connection is refused with a 503
 * ({@link #refusal}) before it is ever added.
 */
final class SelectReadiness extends NativeReadiness {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment read = arena.allocate(Native.FD_SET_BYTES, 8);
    private final MemorySegment write = arena.allocate(Native.FD_SET_BYTES, 8);
    private final MemorySegment timeval = arena.allocate(16, 8);

    SelectReadiness() throws IOException {
        if (wakeFd >= Native.FD_SETSIZE) {
            Native.close(wakeFd);
            throw new IOException("no descriptor below " + Native.FD_SETSIZE + " left for select(2)");
        }
    }

    @Override public void listen(ServerSocketChannel server) throws IOException {
        super.listen(server);
        if (serverFd >= Native.FD_SETSIZE) {
            throw new IOException("the listening socket's descriptor (" + serverFd + ") is past select(2)'s limit of "
                    + Native.FD_SETSIZE);
        }
    }

    @Override public String refusal(SocketChannel ch) {
        int fd = ChannelFds.of(ch);
        return fd < Native.FD_SETSIZE ? null
                : "descriptor " + fd + " is past select(2)'s limit of " + Native.FD_SETSIZE + " (FD_SETSIZE)";
    }

    @Override public void add(Registration r) throws IOException {
        int fd = track(r);
        if (fd >= Native.FD_SETSIZE) { // refusal() keeps these out; never write past the set
            untrack(r);
            throw new IOException("descriptor " + fd + " is past select(2)'s limit");
        }
        r.interest = Step.READ.ordinal();
    }

    @Override public void waitFor(Registration r, Step step) { r.interest = step.ordinal(); }

    @Override public void remove(Registration r) { untrack(r); }

    @Override public void poll(long timeoutNanos, List<Registration> all, Events events) throws IOException {
        read.fill((byte) 0);
        write.fill((byte) 0);
        int max = wakeFd;
        Native.fdSet(read, wakeFd);
        if (serverFd >= 0 && accepting) {
            Native.fdSet(read, serverFd);
            max = Math.max(max, serverFd);
        }
        for (Registration r : all) {
            Native.fdSet(r.interest == Step.WRITE.ordinal() ? write : read, r.fd);
            max = Math.max(max, r.fd);
        }
        long micros = Math.max(1_000, timeoutNanos / 1_000);
        timeval.set(JAVA_LONG, 0, micros / 1_000_000);
        timeval.set(JAVA_LONG, 8, micros % 1_000_000);
        int ready = Native.select(max + 1, read, write, timeval);
        if (ready == -Native.EINTR) return;
        if (ready < 0) throw new IOException("select failed (errno " + -ready + ")");
        if (ready == 0) return;
        // the kernel left only the ready bits: scan them all, up to the highest descriptor
        for (int fd = 0; fd <= max; fd++) {
            if (!Native.fdIsSet(read, fd) && !Native.fdIsSet(write, fd)) continue;
            if (fd == wakeFd || fd == serverFd) continue;
            Registration r = at(fd);
            if (r != null) events.ready(r);
        }
        if (Native.fdIsSet(read, wakeFd)) Native.drain(wakeFd);
        if (serverFd >= 0 && accepting && Native.fdIsSet(read, serverFd)) events.acceptable();
    }

    @Override protected void release() { arena.close(); }
}
