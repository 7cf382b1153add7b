package io.tenk.model.nio;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Linux system calls by number through libc's {@code syscall(2)}: one shape of downcall for every
 * call the event loops make ({@link Native}, {@link NativeSocket}). Linking a handle spins
 * classes and costs a start milliseconds to tens of them, per shape; the capturing one is also
 * the one {@code files/FileOpener} links for {@code openat2}, so the JDK links it once for both. Every
 * argument is a 64-bit integer (a pointer too, as {@link MemorySegment#address()}); the result is
 * what the call returned, or {@code -errno}. The numbers are those of x86-64 and AArch64.
 */
final class Syscall {
    static final boolean X86 = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
    static final long READ = X86 ? 0 : 63, WRITE = X86 ? 1 : 64, CLOSE = X86 ? 3 : 57, WRITEV = X86 ? 20 : 66,
            SENDFILE = X86 ? 40 : 71, SENDTO = X86 ? 44 : 206, SENDMSG = X86 ? 46 : 211, SHUTDOWN = X86 ? 48 : 210,
            SETSOCKOPT = X86 ? 54 : 208, ACCEPT4 = X86 ? 288 : 242,
            EPOLL_CTL = X86 ? 233 : 21, EPOLL_PWAIT = X86 ? 281 : 22, EPOLL_CREATE1 = X86 ? 291 : 20,
            EVENTFD2 = X86 ? 290 : 19;

    static final StructLayout STATE = Linker.Option.captureStateLayout();
    /** Where errno lies in {@link #STATE}: read at its offset (a VarHandle would be spun at start). */
    private static final long ERRNO = STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final FunctionDescriptor SHAPE =
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    /** (nr, a1 … a6) -> long; variadic after nr, as syscall(2) is. */
    private static final MethodHandle PLAIN;
    /** (state, nr, a1 … a6) -> long, errno kept in state: what a failed call is made again with. */
    private static final MethodHandle CAPTURING;

    static {
        Linker linker = Linker.nativeLinker();
        MemorySegment syscall = linker.defaultLookup().findOrThrow("syscall");
        PLAIN = linker.downcallHandle(syscall, SHAPE, Linker.Option.firstVariadicArg(1));
        CAPTURING = linker.downcallHandle(syscall, SHAPE, Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    private Syscall() {}

    /**
     * System call {@code nr}; its result, or {@code -errno}. Made without capturing errno (the
     * capture costs an object per call): a call that fails is made once more, capturing it,
     * which every call here allows (a read, write, accept or wait that failed changed nothing, and
     * the second attempt's result is as good as the first's), and whose errno lands in
     * {@code state}, the caller's own. Not for {@code close}: see {@link #close}.
     */
    static long call(MemorySegment state, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            long r = (long) PLAIN.invokeExact(nr, a1, a2, a3, a4, a5, a6);
            if (r != -1) return r;
            r = (long) CAPTURING.invokeExact(state, nr, a1, a2, a3, a4, a5, a6);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("system call " + nr + " could not be made", t);
        }
    }

    /**
     * System call {@code nr} capturing errno from the start: for a call that usually fails
     * ({@code accept4} ends every round of accepts with EAGAIN), where {@link #call} would make it
     * twice. Its result, or {@code -errno}.
     */
    static long callCapturing(MemorySegment state, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            long r = (long) CAPTURING.invokeExact(state, nr, a1, a2, a3, a4, a5, a6);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("system call " + nr + " could not be made", t);
        }
    }

    /** The errno a capturing downcall left in {@code state}. */
    static int errno(MemorySegment state) { return state.get(JAVA_INT, ERRNO); }

    /** close(2), once: the descriptor is released whatever it reports, and may be another's by a second try. */
    static void close(int fd) {
        try {
            long ignored = (long) PLAIN.invokeExact(CLOSE, (long) fd, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("close could not be made", t);
        }
    }

    /** As {@link #call}, made again while it is interrupted by a signal (EINTR). */
    static long retrying(MemorySegment state, long nr, long a1, long a2, long a3, long a4) {
        long r;
        do r = call(state, nr, a1, a2, a3, a4, 0, 0);
        while (r == -Native.EINTR);
        return r;
    }
}
