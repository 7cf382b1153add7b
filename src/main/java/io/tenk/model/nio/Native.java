package io.tenk.model.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Linux event system calls the JDK does not expose: {@code epoll_create1/ctl/pwait}, an
 * {@code eventfd} to wake a waiting loop, and {@code close}, by number through {@link Syscall} (no
 * JNI, no library, one downcall handle); {@code poll} and {@code select}, through libc, linked
 * only when a loop uses them. Each call that can fail returns {@code -errno}; the callers decide
 * what a failure means. The layouts are those of Linux on x86-64 and AArch64 (a packed
 * {@code epoll_event} on x86-64 only).
 *
 * <p>The descriptor of a JDK socket comes from {@link ChannelFds}, so these sources watch the same
 * channels the transports read and write, unless the loop accepts bare descriptors
 * ({@link NativeSocket}).
 */
final class Native {
    static final int EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1 << 28, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    static final short POLLIN = 0x001, POLLOUT = 0x004, POLLERR = 0x008, POLLHUP = 0x010, POLLNVAL = 0x020;
    static final int EINTR = 4, EAGAIN = 11;
    /** select(2)'s fd_set holds descriptors 0 to 1023 only: FD_SETSIZE. */
    static final int FD_SETSIZE = 1024;
    /** Bytes of one fd_set: 1,024 bits as 16 longs. */
    static final long FD_SET_BYTES = FD_SETSIZE / 8;
    /** Bytes of one {@code struct epoll_event}; where its {@code data} (our fd) sits in it. */
    static final long EPOLL_EVENT_BYTES, EPOLL_DATA_OFFSET;
    /** Bytes of one {@code struct pollfd}: int fd, short events, short revents. */
    static final long POLLFD_BYTES = 8;

    private static final int O_CLOEXEC = 0x80000, O_NONBLOCK = 0x800;
    /** Per thread: the errno capture, one epoll_event, eight bytes for eventfd. */
    private static final ThreadLocal<MemorySegment[]> SCRATCH = ThreadLocal.withInitial(() -> new MemorySegment[] {
            Arena.ofAuto().allocate(Syscall.STATE), Arena.ofAuto().allocate(16, 8), Arena.ofAuto().allocate(8, 8)});

    static {
        boolean packed = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
        EPOLL_EVENT_BYTES = packed ? 12 : 16;
        EPOLL_DATA_OFFSET = packed ? 4 : 8;
    }

    /**
     * poll(2) and select(2), which AArch64 has only as ppoll and pselect6: called through libc,
     * and linked only when a loop uses them ({@code --selector native-poll}, {@code select}).
     */
    private static final class Scan {
        static final MethodHandle POLL, SELECT;

        static {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            POLL = linker.downcallHandle(libc.findOrThrow("poll"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno);
            SELECT = linker.downcallHandle(libc.findOrThrow("select"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS), errno);
        }

        static int result(int r, MemorySegment state) { return r < 0 ? -Syscall.errno(state) : r; }
    }

    private Native() {}

    /** Whether this JVM can reach the socket descriptors (loading this class needs Linux: {@link Selectors#check}). */
    static void check() {
        if (!ChannelFds.available()) {
            throw new IllegalStateException("the native event sources need --add-exports java.base/sun.nio.ch=ALL-UNNAMED"
                    + " (the tenk launcher passes it)");
        }
    }

    private static IOException failure(String call, int err) { return new IOException(call + " failed (errno " + err + ")"); }

    private static MemorySegment state() { return SCRATCH.get()[0]; }

    static int epollCreate() throws IOException {
        int fd = (int) Syscall.call(state(), Syscall.EPOLL_CREATE1, O_CLOEXEC, 0, 0, 0, 0, 0);
        if (fd < 0) throw failure("epoll_create1", -fd);
        return fd;
    }

    /** epoll_ctl with {@code fd} itself as the event's data; 0 or -errno. */
    static int epollCtl(int epfd, int op, int fd, int events) {
        MemorySegment[] scratch = SCRATCH.get();
        MemorySegment ev = scratch[1];
        ev.set(JAVA_INT, 0, events);
        ev.set(ValueLayout.JAVA_INT_UNALIGNED, EPOLL_DATA_OFFSET, fd);
        ev.set(ValueLayout.JAVA_INT_UNALIGNED, EPOLL_DATA_OFFSET + 4, 0);
        return (int) Syscall.call(scratch[0], Syscall.EPOLL_CTL, epfd, op, fd, ev.address(), 0, 0);
    }

    /** epoll_wait (epoll_pwait with no signal mask) into {@code events} (room for {@code max}); the count, or -errno. */
    static int epollWait(int epfd, MemorySegment events, int max, int timeoutMs) {
        return (int) Syscall.call(state(), Syscall.EPOLL_PWAIT, epfd, events.address(), max, timeoutMs, 0, 8);
    }

    static int eventEvents(MemorySegment events, int i) { return events.get(ValueLayout.JAVA_INT_UNALIGNED, i * EPOLL_EVENT_BYTES); }

    static int eventFd(MemorySegment events, int i) {
        return events.get(ValueLayout.JAVA_INT_UNALIGNED, i * EPOLL_EVENT_BYTES + EPOLL_DATA_OFFSET);
    }

    /** poll(2) over {@code n} pollfds; the count ready, or -errno. */
    static int poll(MemorySegment fds, long n, int timeoutMs) {
        MemorySegment state = state();
        try {
            return Scan.result((int) Scan.POLL.invokeExact(state, fds, n, timeoutMs), state);
        } catch (Throwable t) {
            throw new IllegalStateException("poll could not be called", t);
        }
    }

    /** select(2) for reading and writing up to {@code nfds}; the count ready, or -errno. */
    static int select(int nfds, MemorySegment read, MemorySegment write, MemorySegment timeval) {
        MemorySegment state = state();
        try {
            return Scan.result((int) Scan.SELECT.invokeExact(state, nfds, read, write, MemorySegment.NULL, timeval), state);
        } catch (Throwable t) {
            throw new IllegalStateException("select could not be called", t);
        }
    }

    /** A non-blocking eventfd: what a loop waits on beside its sockets, so another thread can wake it. */
    static int eventFd() throws IOException {
        int fd = (int) Syscall.call(state(), Syscall.EVENTFD2, 0, O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0);
        if (fd < 0) throw failure("eventfd", -fd);
        return fd;
    }

    /** Adds one to an eventfd: it becomes readable (any thread). */
    static void signal(int efd) {
        MemorySegment[] scratch = SCRATCH.get();
        MemorySegment one = scratch[2];
        one.set(JAVA_LONG, 0, 1L);
        Syscall.call(scratch[0], Syscall.WRITE, efd, one.address(), 8, 0, 0, 0);
    }

    /** Reads an eventfd back to zero. */
    static void drain(int efd) {
        MemorySegment[] scratch = SCRATCH.get();
        Syscall.call(scratch[0], Syscall.READ, efd, scratch[2].address(), 8, 0, 0, 0);
    }

    static void close(int fd) {
        if (fd < 0) return;
        Syscall.close(fd);
    }

    /** Sets bit {@code fd} of an fd_set (FD_SET). */
    static void fdSet(MemorySegment set, int fd) {
        long off = (fd >>> 6) * 8L;
        set.set(JAVA_LONG, off, set.get(JAVA_LONG, off) | 1L << (fd & 63));
    }

    /** Whether bit {@code fd} of an fd_set is set (FD_ISSET). */
    static boolean fdIsSet(MemorySegment set, int fd) {
        return (set.get(JAVA_LONG, (fd >>> 6) * 8L) & 1L << (fd & 63)) != 0;
    }

}
