package io.tenk.conn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A connection's bytes, as a {@link Session} sees them: whatever carries them (a plain socket,
 * blocking or not, or a TLS engine over one), the session reads, writes, sends file regions and
 * closes through this, and never asks what is underneath.
 *
 * <p>Every call does what it can now and says how much: a transport that would block returns 0,
 * and the driver waits for what {@link #awaits} says before calling the session again. A blocking
 * transport may wait inside a call instead; the session cannot tell and need not.
 */
public interface Transport {

    /**
     * Reads what has arrived into {@code dst} (from its position up to its limit).
     *
     * @return bytes read; 0 when nothing can be read now; -1 once the peer has finished sending
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes from the buffers in order, as much as the transport takes now; returns how much (0 when full). */
    long write(ByteBuffer[] srcs) throws IOException;

    /** Writes from one buffer; returns how much it took (0 when full). */
    int write(ByteBuffer src) throws IOException;

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code position} (sendfile where the
     * transport allows, so file content need not enter the heap; a TLS transport must read and
     * encrypt). Returns how many went (0 when full; fewer than asked is normal).
     */
    long sendFile(FileChannel file, long position, long count) throws IOException;

    /**
     * Writes a response's {@code head}, then, once it is all written, file bytes as
     * {@link #sendFile} does. A transport may hold the head back until file bytes join it, so both
     * leave in full segments (TCP_CORK, nginx's {@code tcp_nopush}) instead of a small segment for
     * the head. Returns the bytes taken, head and file together.
     */
    default long sendFile(ByteBuffer head, FileChannel file, long position, long count) throws IOException {
        long n = write(head);
        return head.hasRemaining() ? n : n + sendFile(file, position, count);
    }

    /**
     * The response about to be written is the connection's last, and the client sends nothing
     * more: the connection closes (or half-closes) once it is written. A transport may then hold
     * back its last partial segment so that it leaves with the end of the stream, one segment
     * where there would be two (MSG_MORE, or TCP_CORK left set until the close, as nginx's corked
     * responses do). Not for a close the client did not ask for: input that arrives before the
     * close makes it a reset, which would drop what is held.
     */
    default void lastResponse() {}

    /** Finishes the output side (a half-close): the peer sees the end of the stream; input goes on. */
    void shutdownOutput() throws IOException;

    /** Closes the connection. Idempotent; never throws. */
    void close();

    /**
     * When the connection began, for the session's timeout on its first request: {@code opened},
     * unless the transport held the connection back since (a TLS connection that waited for a
     * handshake slot begins when it gets one, as a connection in the listen backlog begins when
     * it is accepted).
     */
    default long began(long opened) { return opened; }

    /** The peer's address as it appears in logs ("-" when unknown). */
    String remote();

    /**
     * Whether input already sits in the transport's own buffers (a TLS transport decrypts whole
     * records): the session reads it without waiting for the socket. A plain socket has none.
     */
    default boolean hasBufferedInput() { return false; }

    /**
     * What the driver must wait for before the session can go on with {@code wanted}: usually
     * {@code wanted} itself; a TLS transport in a handshake may need to read before it can write,
     * or to flush before it can read.
     */
    default Step awaits(Step wanted) { return wanted; }

    /**
     * Lets the driver decide where the transport's slow work runs (a TLS handshake's key exchange
     * and signature): the transport hands each piece of work to {@code tasks}, which runs it now,
     * on the caller's thread, or on another thread that calls the session again once it has run;
     * until then, {@link #awaits} says {@link Step#TASK}. A driver that never calls this (a thread
     * serving one connection) has that work done inline, on its own thread. A plain socket has no
     * such work.
     */
    default void offload(Tasks tasks) { }

    /** Where a driver runs a transport's slow work (see {@link #offload}). */
    interface Tasks {
        /**
         * Runs {@code work} now and returns true, or hands it to another thread, which calls the
         * session again once it has run, and returns false.
         */
        boolean runNowOrHandOff(Runnable work);

        /** Calls the session again soon, on the driver's thread (any thread may ask). */
        void wake();
    }
}
