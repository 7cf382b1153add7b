package io.tenk.model.nio;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectableChannel;

/**
 * The kernel's descriptor of a JDK channel, from {@code sun.nio.ch.SelChImpl.getFDVal()}, which
 * the tenk launcher and jar export to tenk ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}).
 * Reflection only, no native call: loading it costs a start nothing worth measuring, so the event
 * system calls ({@link Native}) and TCP_CORK ({@link TcpCork}) are each linked only when used.
 */
final class ChannelFds {
    private static final MethodHandle GET;

    static {
        MethodHandle get = null;
        try {
            get = MethodHandles.lookup().findVirtual(Class.forName("sun.nio.ch.SelChImpl"), "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SelectableChannel.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not exported to tenk: available() says so
        }
        GET = get;
    }

    private ChannelFds() {}

    /** Whether descriptors can be had in this JVM. */
    static boolean available() {
        return GET != null;
    }

    /** The descriptor of {@code ch} (-1 once it is closed). */
    static int of(SelectableChannel ch) {
        try {
            return (int) GET.invokeExact(ch);
        } catch (Throwable t) {
            throw new IllegalStateException("no descriptor for " + ch, t);
        }
    }
}
