package io.tenk.model.nio;

import io.tenk.conn.IoBuffers;
import io.tenk.conn.ServerContext;
import io.tenk.conn.Session;
import io.tenk.conn.Step;
import io.tenk.conn.Transport;
import io.tenk.model.AcceptBackoff;
import io.tenk.model.Acceptor;
import io.tenk.model.Refuser;
import io.tenk.observe.ErrorLog;
import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread, many connections, never blocking: accepts (when it watches a listening socket, its
 * own or one it shares with other loops), lets each connection's session go on when its
 * {@link Readiness} source says it can, times out the late ones, and drains when asked to stop. The models {@code polling}, {@code selector} and
 * {@code reactor} are this loop with a different readiness source or a different number of
 * loops. Other threads talk to a loop only through {@link #submit} and {@link #stop}: a queue
 * plus a wake-up.
 *
 * <p>One exception: loops that share one one-shot epoll set ({@link SharedEpoll}, leader/follower)
 * each run the step of whatever connection the kernel hands them, so a connection may be served by
 * another loop than the one that accepted it (its {@link Registration#owner}, which times it out).
 * Every step of a connection therefore runs holding its {@link Registration} (one thread at a time:
 * uncontended, and one-shot delivery already keeps the kernel from handing it to two), and the
 * owner's list is changed and copied under its own lock.
 *
 * <p>A transport's slow work (a TLS handshake's key exchange and signature) runs on the loop up
 * to {@link #INLINE_TASK_NANOS} a pass ({@link #runTask}); past that, a connection whose
 * transport runs slow work elsewhere ({@link Step#TASK}) is parked while {@link OffloadPool} runs
 * it: its socket leaves the readiness source, so the loop neither polls nor calls it, and serves
 * the others meanwhile; when the work ends, the connection is queued back on the loop that
 * accepted it ({@link #resume}: a queue plus a wake-up), which watches its socket again and calls
 * its session at once.
 */
final class EventLoop implements Runnable, Readiness.Events {
    private static final long TICK_NANOS = 250_000_000L;
    /** Accepts per readiness report: a flood of connections cannot starve the open ones. */
    private static final int ACCEPTS_PER_PASS = 64;
    /** How long a poll may wait when sockets are waiting to close after it. */
    private static final long CLOSE_WAIT_NANOS = 1_000_000L;
    /** Slow work (TLS handshakes) a pass runs itself, at most; the rest goes to {@link OffloadPool}. */
    static final long INLINE_TASK_NANOS = 1_000_000L;

    private final ServerContext ctx;
    private final ErrorLog log;
    private final Readiness readiness;
    private final ServerSocketChannel server; // null when an acceptor hands connections in
    // loops sharing server (bare descriptors) that still accept: the last to stop closes it, since a
    // descriptor closed under another loop's accept4 may be reused by a socket that blocks it; null:
    // this loop closes it (its own, or a JDK channel, whose accept fails cleanly once closed)
    private final AtomicInteger accepting;
    private boolean stoppedAccepting;
    private final IoBuffers io = IoBuffers.eventLoop(32 * 1024);
    private final ArrayList<Registration> connections = new ArrayList<>();
    private final ConcurrentLinkedQueue<SocketChannel> handedIn = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Registration> resumed = new ConcurrentLinkedQueue<>();
    private final Refuser refuser;
    private final AcceptBackoff backoff;
    private final SocketTransport.Cork cork; // null: file responses not corked
    /** The listening socket's descriptor, when connections are accepted as bare descriptors; else -1. */
    private final int serverFd;

    private volatile boolean stopRequested;
    private volatile boolean ended;
    private boolean draining;
    private boolean acceptPaused;
    private long drainDeadline;
    private long nextTick;
    private long now;
    private Thread thread;   // the loop's, once it runs
    private long taskNanos;  // slow work run by this pass (runTask)
    private long passes; // polls begun: a parked socket is watched again only after a poll since
    /**
     * Connections closed during this pass whose sockets are closed after the next poll has begun,
     * when the readiness source has forgotten them ({@link Readiness#forgetsOnNextPoll}); a pass
     * swaps it with {@code closingAfterPoll}, the ones it closes after its own poll (empty between
     * passes), so that closes made during the poll wait for the next one.
     */
    private ArrayList<Registration> closing = new ArrayList<>();
    private ArrayList<Registration> closingAfterPoll = new ArrayList<>();

    /** @param cork what corks file responses ({@code --tcp-nopush}), or null */
    EventLoop(ServerContext ctx, Readiness readiness, ServerSocketChannel server, SocketTransport.Cork cork) throws IOException {
        this(ctx, readiness, server, cork, new Refuser(ctx), new AcceptBackoff(ctx.errorLog()));
    }

    /**
     * A loop that shares its listening socket's {@code refuser} and {@code backoff} with the other
     * loops accepting from it (leader/follower): the refused connections held, and the lines
     * logged when accept fails, are bounded per socket, not per loop.
     */
    EventLoop(ServerContext ctx, Readiness readiness, ServerSocketChannel server, SocketTransport.Cork cork,
              Refuser refuser, AcceptBackoff backoff) throws IOException {
        this(ctx, readiness, server, cork, refuser, backoff, null);
    }

    /**
     * A loop that watches {@code server} beside other loops with sets of their own; {@code accepting}
     * counts those that still accept (every one at first), and the last to stop closes the socket.
     */
    EventLoop(ServerContext ctx, Readiness readiness, ServerSocketChannel server, SocketTransport.Cork cork,
              Refuser refuser, AcceptBackoff backoff, AtomicInteger accepting) throws IOException {
        this.ctx = ctx;
        this.accepting = accepting;
        this.cork = cork;
        this.log = ctx.errorLog();
        this.readiness = readiness;
        this.server = server;
        this.refuser = refuser;
        this.backoff = backoff;
        if (server != null) {
            server.configureBlocking(false);
            readiness.listen(server);
        }
        this.serverFd = server != null && readiness.watchesDescriptors() ? ChannelFds.of(server) : -1;
    }

    /**
     * Hands an accepted connection to this loop (any thread). The acceptor has already taken its
     * slot from {@link ServerContext#connections()}; the loop gives it back when the connection closes.
     */
    void submit(SocketChannel ch) {
        handedIn.add(ch);
        readiness.wakeup();
        if (ended) closeHandedIn(); // the loop is gone (the server is stopping): nobody else would close it
    }

    /** Asks the loop to drain and stop (any thread). */
    void stop() {
        stopRequested = true;
        readiness.wakeup();
    }

    @Override public void run() {
        thread = Thread.currentThread();
        now = System.nanoTime();
        nextTick = now + TICK_NANOS;
        try {
            while (true) {
                passes++;
                ArrayList<Registration> batch = closing;
                closing = closingAfterPoll;
                closingAfterPoll = batch;
                // sockets waiting to close: this poll forgets them, and waits at most a millisecond
                // (on a busy loop it returns sooner, with events; on an idle one the FIN waits no longer)
                long wait = Math.max(1, nextTick - now);
                readiness.poll(batch.isEmpty() ? wait : Math.min(wait, CLOSE_WAIT_NANOS), connections, this);
                finishClosing(batch);
                now = System.nanoTime();
                taskNanos = 0;
                registerHandedIn();
                resumeParked();
                if (now - nextTick >= 0) {
                    tick();
                    nextTick = now + TICK_NANOS;
                }
                if (stopRequested && !draining) beginDrain();
                if (draining && (drained() || now - drainDeadline >= 0)) break;
            }
        } catch (Throwable t) {
            // not one connection's failure (ready() contains those): the loop's own state is in
            // doubt, and its connections and queue would wait forever: the process must go
            ctx.fatal().failed("event loop " + Thread.currentThread().getName(), t);
        } finally {
            ended = true;
            closeAll();
        }
    }

    /**
     * A transport's slow work (a TLS handshake's key exchange and signature, about 0.1 ms with the
     * launcher's options): run here while this pass has spent less than
     * {@link #INLINE_TASK_NANOS} on such work, else on the offload pool, so that a flood of new
     * connections cannot hold up the ones this loop serves. Run here, it costs no hand-off: on one
     * core, the queue, the wake-ups and the thread switches of a hand-off cost about half as much
     * as the work itself.
     */
    private boolean runTask(Runnable work, Registration r) {
        if (taskNanos < INLINE_TASK_NANOS && Thread.currentThread() == thread) {
            long start = System.nanoTime();
            work.run();
            taskNanos += System.nanoTime() - start;
            return true;
        }
        OffloadPool.run(work, () -> resume(r));
        return false;
    }

    /** A parked connection's work has ended (any thread): the loop calls its session again. */
    private void resume(Registration r) {
        resumed.add(r);
        readiness.wakeup();
    }

    @Override public boolean ready(Registration r) {
        synchronized (r) {
            if (r.index < 0 || r.parkedIn >= 0) return false;
            long before = r.transport.moved();
            Step wanted = r.step;
            try {
                Step step = wanted == Step.WRITE ? r.session.onWritable(io, now) : r.session.onReadable(io, now);
                apply(r, step);
                return step != wanted || r.transport.moved() != before;
            } catch (IOException e) {
                // a peer that leaves is routine: describe it only when someone reads the debug log
                if (log.debug()) log.debug("connection " + r.transport.remote() + " ended: " + ErrorLog.describe(e));
            } catch (RuntimeException e) {
                log.error("connection " + r.transport.remote() + " failed", e);
            }
            close(r);
            return true;
        }
    }

    private void apply(Registration r, Step step) {
        if (step == Step.CLOSE) {
            close(r);
            return;
        }
        r.step = step;
        Step awaited = r.sessionTransport.awaits(step);
        if (awaited == Step.TASK) park(r);
        else readiness.waitFor(r, awaited);
    }

    /** Stops watching a connection while its transport works elsewhere. */
    private void park(Registration r) {
        if (r.parkedIn >= 0) return;
        readiness.remove(r);
        r.parkedIn = passes;
    }

    /**
     * Calls again the sessions whose transports' work ended, watching parked sockets again. A
     * readiness source forgets a removed socket by its next poll (a selector's cancelled key), so
     * one parked during this pass waits for the next, which the wake-up makes come at once.
     */
    private void resumeParked() {
        for (int n = resumed.size(); n > 0; n--) {
            Registration r = resumed.poll();
            if (r == null) break;
            synchronized (r) {
                if (r.index < 0) continue;
                if (r.parkedIn == passes) {
                    resumed.add(r);
                    readiness.wakeup();
                    continue;
                }
                if (r.parkedIn >= 0) {
                    r.parkedIn = -1;
                    try {
                        readiness.add(r);
                    } catch (IOException e) {
                        log.debug("could not watch a connection again: " + ErrorLog.describe(e));
                        close(r);
                        continue;
                    }
                }
            }
            ready(r);
        }
    }

    @Override public boolean acceptable() {
        if (draining || acceptPaused) return false;
        for (int i = 0; i < ACCEPTS_PER_PASS; i++) {
            boolean slot = ctx.connections().tryAcquire();
            boolean more;
            try {
                more = slot && serverFd >= 0 ? acceptDescriptor() : acceptChannel(slot);
            } catch (IOException e) {
                if (slot) ctx.connections().release();
                return failedAccept(e, i);
            }
            if (!more) return i > 0;
        }
        return true;
    }

    /**
     * Accepts one connection as a JDK channel: served with its {@code slot}, else refused (a 503
     * from the {@link Refuser}, which works on channels: where the loop accepts bare descriptors,
     * a connection over the limit is taken this way). Returns false when none was waiting.
     */
    private boolean acceptChannel(boolean slot) throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) {
            if (slot) ctx.connections().release();
            return false;
        }
        if (slot) register(ch, true);
        else refuser.refuse(ch);
        return true;
    }

    /**
     * Accepts one connection, holding a slot, as a bare descriptor ({@code accept4}, non-blocking
     * from the start); returns false when none was waiting.
     */
    private boolean acceptDescriptor() throws IOException {
        NativeSocket.Scratch s = NativeSocket.scratch();
        int fd = NativeSocket.acceptNext(s, serverFd);
        if (fd < 0) {
            ctx.connections().release();
            return false;
        }
        register(FdTransport.accepted(fd, s, cork != null));
        return true;
    }

    private boolean failedAccept(IOException e, int accepted) {
        if (!server.isOpen()) return accepted > 0; // closed by a loop sharing it, which drains first
        backoff.failed(e, now);
        acceptPaused = true;
        readiness.accepting(false);
        return accepted > 0;
    }

    private Registration register(FdTransport t) {
        try {
            Transport st = ctx.layer().over(t);
            return watch(new Registration(this, t, st, Session.open(ctx, st, now)), st);
        } catch (IOException e) {
            log.debug("could not register a connection: " + ErrorLog.describe(e));
            t.close();
            ctx.connections().release();
            return null;
        }
    }

    private void registerHandedIn() {
        SocketChannel ch;
        while ((ch = handedIn.poll()) != null) {
            // accepted just before the stop: serve its request (then close) rather than drop it
            Registration r = register(ch, false); // the acceptor set TCP_NODELAY
            if (r != null && draining) r.session.drain(now);
        }
    }

    /** @param noDelay whether to set {@code TCP_NODELAY} (a connection this loop accepted itself) */
    private Registration register(SocketChannel ch, boolean noDelay) {
        String refusal = readiness.refusal(ch);
        if (refusal != null) {
            refuser.refuse(ch, refusal);
            ctx.connections().release();
            return null;
        }
        try {
            ch.configureBlocking(false);
            if (noDelay) ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketTransport t = readiness.transport(ch).corkFiles(cork);
            Transport st = ctx.layer().over(t);
            return watch(new Registration(this, t, st, Session.open(ctx, st, now)), st);
        } catch (IOException e) {
            log.debug("could not register a connection: " + ErrorLog.describe(e));
            Acceptor.closeQuietly(ch);
            ctx.connections().release();
            return null;
        }
    }

    /** Lets the readiness source watch a new connection and this loop keep it. */
    private Registration watch(Registration r, Transport st) throws IOException {
        st.offload(new Transport.Tasks() {
            @Override public boolean runNowOrHandOff(Runnable work) { return runTask(work, r); }
            @Override public void wake() { resume(r); }
        });
        synchronized (r) { // a shared set may hand it to another loop as soon as it is added
            readiness.add(r);
            synchronized (connections) {
                r.index = connections.size();
                connections.add(r);
            }
        }
        return r;
    }

    /** Times out connections whose deadline passed; resumes accepting after a back-off. */
    private void tick() {
        if (acceptPaused && !draining && !backoff.paused(now)) {
            acceptPaused = false;
            readiness.accepting(true);
        }
        for (Registration r : snapshot()) {
            synchronized (r) {
                if (r.index < 0 || now - r.session.deadline() < 0) continue;
                try {
                    apply(r, r.session.onTimeout(io, now));
                } catch (IOException | RuntimeException e) {
                    close(r);
                }
            }
        }
    }

    /** This loop's connections now, to go through while steps (here or on other loops) close some. */
    private Registration[] snapshot() {
        synchronized (connections) {
            return connections.toArray(new Registration[0]);
        }
    }

    /**
     * Stops accepting and drains: every connection finishes its exchange and closes, one between
     * requests once it has been idle briefly ({@link Session#drain}); the loop ends when none is
     * left or the shutdown timeout passes.
     */
    private void beginDrain() {
        if (server != null) {
            // connections the kernel already queued are served (with Connection: close): closing
            // the listening socket would reset them
            while (acceptable()) { }
            readiness.accepting(false);
            stopAccepting();
        }
        draining = true;
        drainDeadline = now + ctx.timeouts().shutdown().toNanos();
        for (Registration r : snapshot()) {
            synchronized (r) {
                if (r.index >= 0 && r.session.drain(now)) close(r);
            }
        }
    }

    /**
     * Closes a connection (of this loop or, on a shared set, of another): holding {@code r}. Its
     * session and socket close now, or, where the readiness source forgets a socket only at its
     * next poll, right after that poll: the JDK closes a socket still registered with a selector
     * by half-closing it first ({@code getsockopt}, {@code shutdown}) and closing it at
     * deregistration, two system calls more per connection than a socket no longer registered.
     */
    private void close(Registration r) {
        if (r.index < 0) return;
        readiness.forget(r);
        ArrayList<Registration> list = r.owner.connections;
        synchronized (list) {
            int last = list.size() - 1;
            Registration moved = list.get(last);
            list.set(r.index, moved);
            moved.index = r.index;
            list.remove(last);
            r.index = -1;
        }
        if (readiness.forgetsOnNextPoll() && !ended) closing.add(r);
        else closeSession(r);
    }

    private void closeSession(Registration r) {
        r.session.close();
        ctx.connections().release();
    }

    private void finishClosing(ArrayList<Registration> batch) {
        for (int i = 0; i < batch.size(); i++) {
            Registration r = batch.get(i);
            synchronized (r) {
                closeSession(r);
            }
        }
        batch.clear();
    }

    private void closeAll() {
        for (Registration r : snapshot()) {
            synchronized (r) {
                close(r);
            }
        }
        finishClosing(closingAfterPoll); // not empty only when a pass ended early
        finishClosing(closing);
        closeHandedIn();
        refuser.close();
        if (server != null) stopAccepting(); // ended without a drain (a failure): as if drained
        readiness.close();
    }

    /** This loop accepts no more: it closes the listening socket, or the last of the loops sharing it does. */
    private void stopAccepting() {
        if (stoppedAccepting) return;
        stoppedAccepting = true;
        if (accepting == null || accepting.decrementAndGet() == 0) Acceptor.closeQuietly(server);
    }

    private boolean drained() {
        synchronized (connections) {
            return connections.isEmpty();
        }
    }

    private void closeHandedIn() {
        SocketChannel ch;
        while ((ch = handedIn.poll()) != null) {
            Acceptor.closeQuietly(ch);
            ctx.connections().release();
        }
    }
}
