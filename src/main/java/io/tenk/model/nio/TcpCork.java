package io.tenk.model.nio;

import io.tenk.transport.SocketTransport;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.channels.SocketChannel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * TCP_CORK on a JDK socket ({@code --tcp-nopush}, on by default on Linux): one {@code setsockopt}
 * through the FFM API, linked the first time a response is corked rather than at start (linking
 * the event system calls of {@link Native} as well would cost every start some 150 ms of
 * wall-clock time on two cores, for a server that may never send a file). The socket's descriptor
 * comes from {@link ChannelFds}; without the export it needs there is nothing to cork with.
 */
final class TcpCork implements SocketTransport.Cork {
    static final TcpCork INSTANCE = new TcpCork();
    /** setsockopt's level for TCP, and TCP_CORK: hold partial segments until cleared (or 200 ms). */
    private static final int IPPROTO_TCP = 6, TCP_CORK = 3;

    private TcpCork() {}

    /** The system call, linked on first use. */
    private static final class Call {
        static final MethodHandle SETSOCKOPT = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().findOrThrow("setsockopt"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        /** 1 and 0, as the option's value: read only by the kernel, so shared by every thread. */
        static final MemorySegment ON = Arena.global().allocate(JAVA_INT), OFF = Arena.global().allocate(JAVA_INT);

        static {
            ON.set(JAVA_INT, 0, 1);
        }
    }

    /** Sets or clears TCP_CORK; a failure (the peer gone) leaves the socket as it was, to fail on its next write. */
    @Override public void cork(SocketChannel ch, boolean on) {
        try {
            int fd = ChannelFds.of(ch);
            if (fd < 0) return; // closed
            MemorySegment value = on ? Call.ON : Call.OFF; // typed: invokeExact matches the arguments' static types
            int ignored = (int) Call.SETSOCKOPT.invokeExact(fd, IPPROTO_TCP, TCP_CORK, value, 4);
        } catch (Throwable t) {
            throw new IllegalStateException("setsockopt(TCP_CORK) could not be called", t);
        }
    }
}
