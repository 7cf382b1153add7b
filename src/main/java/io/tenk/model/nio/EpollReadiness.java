package io.tenk.model.nio;

import io.tenk.conn.Step;
import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.Function;

/**
 * epoll(7) called directly: the kernel keeps the interest set, so a wait costs in proportion to
 * the connections that are ready, not to those open. Three ways to be told:
 * <ul>
 *   <li>{@link Mode#LEVEL}: a socket is reported for as long as it is ready (what java.nio's
 *       Selector does);</li>
 *   <li>{@link Mode#EDGE} ({@code EPOLLET}): reported once when it becomes ready, so the session
 *       must read until nothing is left ({@link EdgeTriggeredTransport}); fewer reports, one more
 *       read per event;</li>
 *   <li>{@link Mode#ONESHOT} ({@code EPOLLONESHOT}): reported once, then disarmed until
 *       {@link #waitFor} re-arms it, one {@code epoll_ctl} per event: what lets several threads
 *       share one epoll set without two handling one socket at once.</li>
 * </ul>
 * The listening socket and the wake-up eventfd stay level-triggered, except in a set several
 * threads wait on ({@link SharedEpoll}): there the listening socket is one-shot too, re-armed
 * after each round of accepts, so one thread accepts at a time. Loops with sets of their own may
 * all watch one listening socket ({@link #listenAmongOthers}, {@code EPOLLEXCLUSIVE}): a new
 * connection wakes one loop waiting, not every one, and a busy loop finds it at its next wait.
 */
final class EpollReadiness extends NativeReadiness {
    enum Mode { LEVEL, EDGE, ONESHOT }

    static final int MAX_EVENTS = 512;

    private final Mode mode;
    private final int flags;
    private final int epfd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events = arena.allocate(MAX_EVENTS * Native.EPOLL_EVENT_BYTES, 8);
    private final Function<SocketChannel, SocketTransport> transports;
    private boolean listening;
    private boolean amongOthers; // the listening socket is watched by other sets too: EPOLLEXCLUSIVE
    private final boolean shared;
    private final boolean bare; // connections may be bare descriptors (FdTransport)

    /**
     * Level-triggered and one-shot sets take connections as bare descriptors where this JVM allows
     * ({@link NativeSocket#available}); edge triggering needs a transport of its own.
     */
    EpollReadiness(Mode mode) throws IOException {
        this(mode, mode == Mode.EDGE ? EdgeTriggeredTransport::new : SocketTransport::new, false,
                mode != Mode.EDGE && NativeSocket.available());
    }

    /** With the transport each connection gets (the tests give edge triggering a naive one). */
    EpollReadiness(Mode mode, Function<SocketChannel, SocketTransport> transports) throws IOException {
        this(mode, transports, false, false);
    }

    /**
     * {@code shared}: several threads wait on this set ({@link SharedEpoll}; one-shot only);
     * {@code bare}: connections are accepted as bare descriptors, not given to {@code transports}.
     */
    EpollReadiness(Mode mode, Function<SocketChannel, SocketTransport> transports, boolean shared, boolean bare) throws IOException {
        if (shared && mode != Mode.ONESHOT) throw new IllegalArgumentException("only a one-shot set can be shared");
        if (bare && (shared || mode == Mode.EDGE)) throw new IllegalArgumentException("bare descriptors need a level-triggered or one-shot set of one loop");
        this.shared = shared;
        this.bare = bare;
        this.mode = mode;
        this.flags = switch (mode) {
            case LEVEL -> 0;
            case EDGE -> Native.EPOLLET;
            case ONESHOT -> Native.EPOLLONESHOT;
        };
        this.transports = transports;
        epfd = Native.epollCreate();
        int r = Native.epollCtl(epfd, Native.EPOLL_CTL_ADD, wakeFd, Native.EPOLLIN);
        if (r < 0) {
            Native.close(wakeFd);
            Native.close(epfd);
            throw new IOException("epoll_ctl failed (errno " + -r + ")");
        }
    }

    @Override public SocketTransport transport(SocketChannel ch) { return transports.apply(ch); }

    @Override public synchronized void listen(ServerSocketChannel server) throws IOException {
        if (shared && serverFd >= 0) return; // each loop of a shared set listens on the same socket
        super.listen(server);
        accepting(true);
    }

    @Override public synchronized boolean listenAmongOthers() {
        if (shared) return false; // the threads of a shared set take turns on the one socket already
        amongOthers = true;
        return true;
    }

    @Override public synchronized void accepting(boolean on) {
        super.accepting(on);
        if (serverFd < 0) return;
        if (shared) {
            // one-shot: disarmed by its last report; armed again only by a loop that will accept
            if (on) Native.epollCtl(epfd, listening ? Native.EPOLL_CTL_MOD : Native.EPOLL_CTL_ADD, serverFd,
                    Native.EPOLLIN | Native.EPOLLONESHOT);
            listening = true;
            return;
        }
        if (on == listening) return;
        listening = on;
        if (!on) {
            Native.epollCtl(epfd, Native.EPOLL_CTL_DEL, serverFd, 0);
            return;
        }
        // EPOLLEXCLUSIVE is allowed on an add only (a pause deletes the socket, a resume adds it);
        // a kernel without it (before 4.5) refuses the flag: every loop is woken then, all but one in vain
        if (!amongOthers || Native.epollCtl(epfd, Native.EPOLL_CTL_ADD, serverFd, Native.EPOLLIN | Native.EPOLLEXCLUSIVE) < 0) {
            Native.epollCtl(epfd, Native.EPOLL_CTL_ADD, serverFd, Native.EPOLLIN);
        }
    }

    @Override public boolean watchesDescriptors() { return bare; }

    @Override public void add(Registration r) throws IOException {
        int fd = track(r);
        r.interest = Native.EPOLLIN;
        int err = Native.epollCtl(epfd, Native.EPOLL_CTL_ADD, fd, Native.EPOLLIN | flags);
        if (err < 0) {
            untrack(r);
            throw new IOException("epoll_ctl failed (errno " + -err + ")");
        }
    }

    @Override public void waitFor(Registration r, Step step) {
        int ops = step == Step.WRITE ? Native.EPOLLOUT : Native.EPOLLIN;
        // one-shot: the report disarmed the socket, so every step re-arms it; otherwise only a
        // change of interest costs a call (for edge triggering it also re-arms the edge)
        if (r.interest == ops && mode != Mode.ONESHOT) return;
        r.interest = ops;
        Native.epollCtl(epfd, Native.EPOLL_CTL_MOD, r.fd, ops | flags);
    }

    /**
     * The session may have closed its socket already (a response with {@code Connection: close}
     * ends so), and in a shared set another thread may have accepted a connection on the freed
     * descriptor since: deleting it then would silence that connection for good. So the kernel's
     * entry is deleted only while the table still holds {@code r} there, under the lock that
     * {@link #track} takes before adding a new one.
     */
    @Override public synchronized void remove(Registration r) {
        if (untrack(r)) Native.epollCtl(epfd, Native.EPOLL_CTL_DEL, r.fd, 0);
    }

    /**
     * A bare descriptor is only forgotten here: its {@code close}, which follows, takes it out of
     * the set (no other descriptor refers to its socket), so an {@code epoll_ctl} would be wasted.
     */
    @Override public synchronized void forget(Registration r) {
        if (r.channel != null) remove(r);
        else untrack(r);
    }

    @Override public void poll(long timeoutNanos, List<Registration> all, Events events) throws IOException {
        poll(this.events, MAX_EVENTS, timeoutNanos, events, accepting);
    }

    /**
     * One wait into {@code buffer} (room for {@code max} events), reporting to {@code events};
     * {@code accepting}: whether the caller accepts now. Any thread of a shared set, each with its
     * own buffer; there the listening socket, one-shot, is armed again after the caller accepted.
     */
    void poll(MemorySegment buffer, int max, long timeoutNanos, Events events, boolean accepting) throws IOException {
        int n = Native.epollWait(epfd, buffer, max, millis(timeoutNanos));
        if (n == -Native.EINTR) return;
        if (n < 0) throw new IOException("epoll_wait failed (errno " + -n + ")");
        boolean acceptable = false;
        for (int i = 0; i < n; i++) {
            int fd = Native.eventFd(buffer, i);
            if (fd == wakeFd) {
                Native.drain(wakeFd);
            } else if (fd == serverFd) {
                acceptable = true;
            } else {
                Registration r = at(fd);
                if (r != null) events.ready(r);
            }
        }
        // after the connections: a descriptor closed above and reused by an accept cannot be
        // mistaken for one still in this batch
        if (acceptable && accepting) {
            events.acceptable();
            if (shared) accepting(true);
        }
    }

    @Override protected void release() {
        Native.close(epfd);
        arena.close();
    }
}
