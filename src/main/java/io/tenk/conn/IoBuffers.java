package io.tenk.conn;

import java.nio.ByteBuffer;

/**
 * Buffers owned by one I/O thread (an event loop, or a blocking session's thread) and lent to
 * each connection it serves in turn. Nothing here belongs to a connection: a connection that
 * must keep bytes across events copies them into a buffer of its own, sized to what it keeps.
 */
public final class IoBuffers {
    /** Where reads land. */
    public final ByteBuffer read;
    /** Where response heads are encoded. */
    final ByteBuffer head;

    public IoBuffers(int readSize) {
        this.read = ByteBuffer.allocateDirect(readSize);
        this.head = ByteBuffer.allocateDirect(8 * 1024);
    }

    public IoBuffers() { this(32 * 1024); }
}
