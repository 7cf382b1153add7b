package io.tenk.conn;

import java.nio.ByteBuffer;

/**
 * Buffers owned by one I/O thread (an event loop, or a blocking connection's thread) and lent to
 * each connection it serves in turn. Nothing here belongs to a connection: a connection that
 * must keep bytes across events copies them into a buffer of its own, sized to what it keeps.
 */
public final class IoBuffers {
    /** Head buffers are this large; a larger head gets a buffer of its own. */
    public static final int HEAD_SIZE = 8 * 1024;

    /** Where reads land. */
    final ByteBuffer read;
    /** Where response heads are encoded. */
    final ByteBuffer head;

    public IoBuffers(ByteBuffer read, ByteBuffer head) {
        this.read = read;
        this.head = head;
    }

    /** Direct buffers for an event loop: reads of up to {@code readSize} bytes. */
    public static IoBuffers direct(int readSize) {
        return new IoBuffers(ByteBuffer.allocateDirect(readSize), ByteBuffer.allocateDirect(HEAD_SIZE));
    }
}
