package io.tenk.conn;

import io.tenk.http.Limits;
import io.tenk.http.RecentStrings;
import io.tenk.http.RequestParser;

import java.nio.ByteBuffer;

/**
 * Buffers owned by one I/O thread (an event loop, or a blocking connection's thread) and lent to
 * each connection it serves in turn. Nothing here belongs to a connection: a connection that
 * must keep bytes across events copies them into a buffer of its own, sized to what it keeps.
 *
 * <p>An event loop's buffers also keep spare parsers and response writers: a connection borrows
 * one when a request begins or a response starts and gives it back once it holds nothing again,
 * so that of 10,000 connections waiting for their next request none holds either (nginx likewise
 * allocates a request's state only when its bytes arrive). Whatever is borrowed may be given back
 * to another thread's buffers (a shared set moves connections between loops).
 */
public final class IoBuffers {
    /** Head buffers are this large; a larger head gets a buffer of its own. */
    public static final int HEAD_SIZE = 8 * 1024;
    /**
     * Strings an event loop keeps for its connections (at most 256 bytes each): a browser's page
     * load brings some 26 (16 field values, 8 field names tenk does not know, the target and its
     * path), which 64 slots could not keep.
     */
    static final int RECENT_STRINGS = 256;

    /** Where reads land. */
    final ByteBuffer read;
    /** Where response heads are encoded. */
    final ByteBuffer head;
    /** The strings of recent requests, shared by the connections this thread serves. */
    final RecentStrings strings;

    /** How many of each a thread keeps spare, at most. */
    static final int SPARES = 64;

    private final RequestParser[] parsers;  // null: this thread keeps no spares
    private final BodyWriter[] writers;
    private int spareParsers, spareWriters;

    /** Buffers that keep no strings: for a thread that serves one connection and then another. */
    public IoBuffers(ByteBuffer read, ByteBuffer head) {
        this(read, head, RecentStrings.NONE);
    }

    public IoBuffers(ByteBuffer read, ByteBuffer head, RecentStrings strings) {
        this(read, head, strings, false);
    }

    private IoBuffers(ByteBuffer read, ByteBuffer head, RecentStrings strings, boolean spares) {
        this.read = read;
        this.head = head;
        this.strings = strings;
        this.parsers = spares ? new RequestParser[SPARES] : null;
        this.writers = spares ? new BodyWriter[SPARES] : null;
    }

    /** A parser for requests under {@code limits}: a spare one, or a new one. */
    RequestParser lendParser(Limits limits) {
        if (spareParsers > 0) {
            RequestParser p = parsers[--spareParsers];
            parsers[spareParsers] = null;
            if (p.limits() == limits) return p;
        }
        return new RequestParser(limits);
    }

    /** Takes back a {@linkplain RequestParser#blank() blank} parser; false when this thread keeps no spares (keep it). */
    boolean giveBack(RequestParser p) {
        if (parsers == null) return false;
        if (spareParsers < SPARES) parsers[spareParsers++] = p;
        return true;
    }

    /** A response writer: a spare one, or a new one. */
    BodyWriter lendWriter() {
        if (spareWriters == 0) return new BodyWriter();
        BodyWriter w = writers[--spareWriters];
        writers[spareWriters] = null;
        return w;
    }

    /** Takes back a {@linkplain BodyWriter#close() closed} writer; false when this thread keeps no spares (keep it). */
    boolean giveBack(BodyWriter w) {
        if (writers == null) return false;
        if (spareWriters < SPARES) writers[spareWriters++] = w;
        return true;
    }

    /** Spare parsers and writers held now (for tests). */
    int spareParsers() { return spareParsers; }

    int spareWriters() { return spareWriters; }

    /**
     * An event loop's buffers: reads of up to {@code readSize} bytes into a heap buffer, heads
     * encoded into a direct one. The parser reads a line that arrived whole where it lies in a
     * heap buffer's array; from a direct buffer it would copy every line into an array of the
     * connection's own, which an idle connection then keeps. The channel copies what it reads
     * through a direct buffer of the thread's anyway, a copy of the bytes that came, not of the
     * buffer. Heads stay direct: they go out in the same gathering write as a body, unchanged.
     * The loop's connections share {@value #RECENT_STRINGS} recent strings: a keep-alive client
     * that sends the same fields again gets the strings made for it last time. Parsers and
     * response writers are lent too (see above).
     */
    public static IoBuffers eventLoop(int readSize) {
        return new IoBuffers(ByteBuffer.allocate(readSize), ByteBuffer.allocateDirect(HEAD_SIZE), new RecentStrings(RECENT_STRINGS), true);
    }
}
