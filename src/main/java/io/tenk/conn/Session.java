package io.tenk.conn;

/**
 * One connection's protocol, driven by a concurrency model: the model waits for what the last
 * {@link Step} asked for and calls back; the session reads and writes through its
 * {@link Transport} and says what to wait for next. A model needs nothing else of the
 * connection: it never reads, writes or parses itself, so any protocol can sit on any transport.
 *
 * <p>Calls come from one thread at a time (the loop's, or the connection's own). Only
 * {@link #writeOverdue} and {@link #idleCloseAt} may be called from another thread.
 */
public interface Session {

    /** Opens the protocol the server speaks on a new connection (HTTP/1.1). */
    static Session open(ServerContext ctx, Transport transport, long now) {
        return new HttpSession(ctx, transport, now);
    }

    /** The transport can be read (or a read may block): read and answer what arrived. */
    Step onReadable(IoBuffers io, long now) throws java.io.IOException;

    /** The transport can take more of the response. */
    Step onWritable(IoBuffers io, long now) throws java.io.IOException;

    /** {@link #deadline()} has passed. */
    Step onTimeout(IoBuffers io, long now) throws java.io.IOException;

    /** The time ({@link System#nanoTime()} scale) by which the connection must make progress. */
    long deadline();

    /**
     * The server is stopping (from {@code now}): finish what is in flight and close. Returns true
     * when the connection can be closed right away.
     */
    boolean drain(long now);

    /** Whether the connection is between requests. */
    boolean idle();

    /** When a connection idle now may be closed by a drain that began at {@code drainStart}; any thread. */
    long idleCloseAt(long drainStart);

    /** Whether the response being written is past its deadline at {@code now}; any thread. */
    boolean writeOverdue(long now);

    /** Ends the connection: releases what the session holds and closes its transport. Idempotent. */
    void close();
}
