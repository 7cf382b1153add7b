package io.tenk.model.nio;

import io.tenk.conn.Step;
import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Leader/follower on one epoll set: N threads, each running an {@link EventLoop}, all wait in
 * {@code epoll_wait} on the same set. Every socket in it is one-shot ({@code EPOLLONESHOT}): the
 * kernel hands a report to one waiting thread and disarms the socket, so no other thread sees it
 * until the thread that took it has run the connection's step and armed it again
 * ({@link #waitFor}). The listening socket is one-shot too, armed again after each round of
 * accepts, so two threads never race for the same connection. Whichever thread is free takes the
 * next event: no connection is tied to a busy thread, unlike {@link ReactorModel}'s one set per
 * loop.
 *
 * <p>Each loop has a view of the set ({@link #view()}): its own buffer for reports and its own
 * wish to accept. A view cannot be woken by another thread (a wake-up in a shared set would reach
 * any one thread, not the one meant): a loop notices a stop within its tick (a quarter second).
 */
final class SharedEpoll {
    private final EpollReadiness set;
    private int views;
    private int closed;

    SharedEpoll() throws IOException {
        set = new EpollReadiness(EpollReadiness.Mode.ONESHOT, SocketTransport::new, true, false);
    }

    /** One loop's side of the set; the set is released when the last view is closed. */
    synchronized Readiness view() {
        views++;
        return new View();
    }

    private synchronized void closed() {
        if (++closed == views) set.close();
    }

    private final class View implements Readiness {
        private static final int MAX_EVENTS = 64; // a batch per thread: the rest stay for the others
        private final Arena arena = Arena.ofShared();
        private final MemorySegment events = arena.allocate(MAX_EVENTS * Native.EPOLL_EVENT_BYTES, 8);
        private volatile boolean accepting = true;
        private boolean open = true;

        @Override public void listen(ServerSocketChannel server) throws IOException { set.listen(server); }

        @Override public void accepting(boolean on) {
            accepting = on;
            if (on) set.accepting(true);
        }

        @Override public SocketTransport transport(SocketChannel ch) { return set.transport(ch); }

        @Override public void add(Registration r) throws IOException { set.add(r); }

        @Override public void waitFor(Registration r, Step step) { set.waitFor(r, step); }

        @Override public void remove(Registration r) { set.remove(r); }

        @Override public void poll(long timeoutNanos, List<Registration> all, Events events) throws IOException {
            set.poll(this.events, MAX_EVENTS, timeoutNanos, events, accepting);
        }

        @Override public void wakeup() { }

        @Override public void close() {
            synchronized (this) {
                if (!open) return;
                open = false;
            }
            arena.close();
            closed();
        }
    }
}
