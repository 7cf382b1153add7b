package io.tenk.conn;

import io.tenk.http.RecentStrings;

import java.nio.ByteBuffer;

/**
 * Buffers owned by one I/O thread (an event loop, or a blocking connection's thread) and lent to
 * each connection it serves in turn. Nothing here belongs to a connection: a connection that
 * must keep bytes across events copies them into a buffer of its own, sized to what it keeps.
 */
public final class IoBuffers {
    /** Head buffers are this large; a larger head gets a buffer of its own. */
    public static final int HEAD_SIZE = 8 * 1024;
    /** Strings an event loop keeps for its connections (at most 256 bytes each). */
    static final int RECENT_STRINGS = 64;

    /** Where reads land. */
    final ByteBuffer read;
    /** Where response heads are encoded. */
    final ByteBuffer head;
    /** The strings of recent requests, shared by the connections this thread serves. */
    final RecentStrings strings;

    /** Buffers that keep no strings: for a thread that serves one connection and then another. */
    public IoBuffers(ByteBuffer read, ByteBuffer head) {
        this(read, head, RecentStrings.NONE);
    }

    public IoBuffers(ByteBuffer read, ByteBuffer head, RecentStrings strings) {
        this.read = read;
        this.head = head;
        this.strings = strings;
    }

    /**
     * An event loop's buffers: reads of up to {@code readSize} bytes into a heap buffer, heads
     * encoded into a direct one. The parser reads a line that arrived whole where it lies in a
     * heap buffer's array; from a direct buffer it would copy every line into an array of the
     * connection's own, which an idle connection then keeps. The channel copies what it reads
     * through a direct buffer of the thread's anyway, a copy of the bytes that came, not of the
     * buffer. Heads stay direct: they go out in the same gathering write as a body, unchanged.
     * The loop's connections share {@value #RECENT_STRINGS} recent strings: a keep-alive client
     * that sends the same fields again gets the strings made for it last time.
     */
    public static IoBuffers eventLoop(int readSize) {
        return new IoBuffers(ByteBuffer.allocate(readSize), ByteBuffer.allocateDirect(HEAD_SIZE), new RecentStrings(RECENT_STRINGS));
    }
}
