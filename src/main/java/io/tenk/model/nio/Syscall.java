package io.tenk.model.nio;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Linux system calls by number through libc's {@code syscall(2)}: one downcall handle for every
 * call the event loops make ({@link Native}, {@link NativeSocket}). Linking a handle spins
 * classes and costs a start tens of milliseconds, per shape; this shape is also the one
 * {@code files/FileOpener} links for {@code openat2}, so the JDK links it once for both. Every
 * argument is a 64-bit integer (a pointer too, as {@link MemorySegment#address()}); the result is
 * what the call returned, or {@code -errno}. The numbers are those of x86-64 and AArch64.
 */
final class Syscall {
    static final boolean X86 = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
    static final long READ = X86 ? 0 : 63, WRITE = X86 ? 1 : 64, CLOSE = X86 ? 3 : 57, WRITEV = X86 ? 20 : 66,
            SENDFILE = X86 ? 40 : 71, SHUTDOWN = X86 ? 48 : 210, SETSOCKOPT = X86 ? 54 : 208, ACCEPT4 = X86 ? 288 : 242,
            EPOLL_CTL = X86 ? 233 : 21, EPOLL_PWAIT = X86 ? 281 : 22, EPOLL_CREATE1 = X86 ? 291 : 20,
            EVENTFD2 = X86 ? 290 : 19;

    static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** (state, nr, a1 … a6) -> long; variadic after nr, as syscall(2) is. */
    private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    private Syscall() {}

    /** System call {@code nr}; its result, or {@code -errno} (kept in {@code state}, the caller's own). */
    static long call(MemorySegment state, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        long r;
        try {
            r = (long) SYSCALL.invokeExact(state, nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new IllegalStateException("system call " + nr + " could not be made", t);
        }
        return r == -1 ? -(int) ERRNO.get(state, 0L) : r;
    }

    /** As {@link #call}, made again while it is interrupted by a signal (EINTR). */
    static long retrying(MemorySegment state, long nr, long a1, long a2, long a3, long a4) {
        long r;
        do r = call(state, nr, a1, a2, a3, a4, 0, 0);
        while (r == -Native.EINTR);
        return r;
    }
}
