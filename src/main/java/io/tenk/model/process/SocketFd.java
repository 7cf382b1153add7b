package io.tenk.model.process;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The descriptor number of an accepted {@link SocketChannel}, which the JDK keeps to itself: it
 * comes from the channel's own {@code sun.nio.ch.SelChImpl#getFDVal()} (a public method of a
 * package that tenk's jar and launcher export to it, as the poll selector needs), and is then
 * checked with {@code getpeername(2)}: a descriptor whose peer is not the channel's is never
 * handed to a child. Accepting through the JDK keeps one accept loop, one connection limit and
 * one refusal path ({@link io.tenk.model.Refuser}) for every model; a descriptor accepted natively
 * could not become a channel the refuser can serve.
 */
final class SocketFd {
    private static final MethodHandle FD_VAL;
    /** Why descriptors cannot be had here (null when they can). */
    static final String UNAVAILABLE;

    static {
        MethodHandle h = null;
        String why = null;
        try {
            Class<?> c = Class.forName("sun.nio.ch.SelChImpl");
            h = MethodHandles.lookup().findVirtual(c, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SocketChannel.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = "the process model needs --add-exports java.base/sun.nio.ch=ALL-UNNAMED (the tenk jar and launcher set it)";
        }
        FD_VAL = h;
        UNAVAILABLE = why;
    }

    private SocketFd() {}

    /** The descriptor of {@code ch}, checked to be the socket connected to the channel's peer. */
    static int of(SocketChannel ch) throws IOException {
        int fd;
        try {
            fd = (int) FD_VAL.invokeExact(ch);
        } catch (Throwable t) {
            throw new IOException("cannot find the socket's descriptor", t);
        }
        SocketAddress expected = ch.getRemoteAddress();
        if (fd < 0 || expected == null || !expected.equals(Posix.peer(fd))) {
            throw new IOException("the socket's descriptor does not match its channel");
        }
        return fd;
    }
}
