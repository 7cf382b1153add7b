package io.tenk.model.nio;

import io.tenk.transport.SocketTransport;

import java.nio.channels.SocketChannel;

/**
 * TCP_CORK on a JDK socket ({@code --tcp-nopush}, on by default on Linux): one {@code setsockopt}
 * through {@link NativeSocket} (libc's {@code syscall}, which tenk links at start for opening files
 * anyway). The socket's descriptor comes from {@link ChannelFds}; without the export it needs
 * there is nothing to cork with.
 */
final class TcpCork implements SocketTransport.Cork {
    static final TcpCork INSTANCE = new TcpCork();

    private TcpCork() {}

    /** Sets or clears TCP_CORK; a failure (the peer gone) leaves the socket as it was, to fail on its next write. */
    @Override public void cork(SocketChannel ch, boolean on) {
        int fd = ChannelFds.of(ch);
        if (fd < 0) return; // closed
        NativeSocket.tcpOption(NativeSocket.scratch(), fd, NativeSocket.TCP_CORK, on);
    }
}
