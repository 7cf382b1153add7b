package io.tenk.model.nio;

import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A socket watched edge-triggered ({@code EPOLLET}): the kernel reports input once, when it
 * arrives, not for as long as it waits. So a session must read until the socket has nothing
 * left, or the rest waits for an edge that never comes. This transport says it may hold input
 * ({@link #hasBufferedInput()}) until a read found none, and the session then keeps reading, as
 * it does for a TLS transport's decrypted bytes. Writes need nothing: the session already writes
 * until the transport takes nothing, and changing interest to writing re-arms the edge.
 */
class EdgeTriggeredTransport extends SocketTransport {
    private boolean drained; // the last read found nothing (or the end): only a new edge brings more

    EdgeTriggeredTransport(SocketChannel channel) { super(channel); }

    @Override public int read(ByteBuffer dst) throws IOException {
        int n = super.read(dst);
        drained = n <= 0;
        return n;
    }

    @Override public boolean hasBufferedInput() { return !drained; }
}
