package io.tenk.model.nio;

import io.tenk.conn.Step;
import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * How an {@link EventLoop} learns which connections can make progress: the one thing that differs
 * between a selector (epoll or poll(2) underneath) and plain polling, as nginx's event modules
 * differ behind one table of actions. The loop owns its connections and their sessions; a
 * readiness source only watches and reports. Loop thread only, except {@link #wakeup()}.
 */
interface Readiness {

    /** Watches a non-blocking listening socket for connections to accept. */
    void listen(ServerSocketChannel server) throws IOException;

    /** Stops (a failed accept's back-off; a drain) or resumes watching the listening socket. */
    void accepting(boolean on);

    /**
     * Before {@link #listen}: the listening socket will be watched by other loops' sources too, and
     * this one should be among those of which the kernel wakes one per new connection (epoll's
     * {@code EPOLLEXCLUSIVE}), not all. Returns false, changing nothing, where this source cannot.
     */
    default boolean listenAmongOthers() { return false; }

    /**
     * Why this source cannot watch an accepted connection (select(2) cannot watch a descriptor
     * past its bitmap), or null when it can. A connection it cannot watch is refused with a 503.
     */
    default String refusal(SocketChannel ch) { return null; }

    /** The transport a new connection reads and writes through (edge triggering needs its own). */
    default SocketTransport transport(SocketChannel ch) { return new SocketTransport(ch); }

    /**
     * Whether this source watches bare descriptors, so the loop may accept connections as such
     * ({@link FdTransport}) rather than as JDK channels.
     */
    default boolean watchesDescriptors() { return false; }

    /** Starts watching a new connection's non-blocking socket, for reading. */
    void add(Registration r) throws IOException;

    /** The connection now waits for {@code step} ({@link Step#READ} or {@link Step#WRITE}). */
    void waitFor(Registration r, Step step);

    /** Stops watching a connection (before its socket closes). */
    void remove(Registration r);

    /**
     * Stops watching a connection whose socket closes next: as {@link #remove}, except that a
     * source may leave to {@code close} what {@code close} does anyway (epoll forgets a closed
     * descriptor by itself).
     */
    default void forget(Registration r) { remove(r); }

    /**
     * Whether a removed socket stays registered until the next {@link #poll} begins (a selector's
     * cancelled key): the loop then closes it after that poll, which waits at most a millisecond.
     */
    default boolean forgetsOnNextPoll() { return false; }

    /**
     * Waits up to {@code timeoutNanos} for readiness, then reports each ready connection (and the
     * listening socket) to {@code events}. {@code all} is every connection of the loop.
     */
    void poll(long timeoutNanos, List<Registration> all, Events events) throws IOException;

    /** Makes a {@link #poll} under way return soon (any thread). */
    void wakeup();

    /** Releases what the source holds. */
    void close();

    /** What a loop does when something is ready. */
    interface Events {
        /** The listening socket has connections: accept them; returns whether there were any. */
        boolean acceptable();

        /** A connection may go on; returns whether it did anything (moved bytes, changed step). */
        boolean ready(Registration r);
    }
}
