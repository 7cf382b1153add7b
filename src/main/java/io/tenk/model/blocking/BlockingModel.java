package io.tenk.model.blocking;

import io.tenk.conn.ServerContext;
import io.tenk.model.Acceptor;
import io.tenk.model.Bind;
import io.tenk.model.Model;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the blocking models share: a listening socket and an acceptor thread, the set of live
 * connections ({@link ConnectionTask}), and one watchdog thread that closes stalled writes and
 * enforces the shutdown deadline. A subclass only says where a connection's task runs
 * ({@link #dispatch}).
 *
 * <p>Shutdown: {@link #stop()} stops the acceptor (it serves what the kernel had queued, then
 * closes the listening socket), and tells every connection to drain: busy ones finish their exchange,
 * and the next request gets {@code Connection: close}; the watchdog closes a connection idle between
 * requests once it has been idle briefly ({@link io.tenk.conn.Session#drain}), and whatever is
 * left when the shutdown timeout passes; it ends when no connection is left.
 */
public abstract class BlockingModel implements Model {
    private static final long WATCH_TICK_MILLIS = 250;
    private static final long STRAGGLER_NANOS = 1_000_000_000L;

    final ServerContext ctx;
    final ErrorLog log;
    final BufferPool buffers = new BufferPool(64);
    private final Bind bind;
    private final Set<ConnectionTask> live = ConcurrentHashMap.newKeySet();
    private final SocketChannel inherited; // the one connection of servingOne, else null
    private InetSocketAddress bound;
    private Acceptor acceptor;
    private Thread watchdog;
    private volatile long stopDeadline; // 0 while running

    protected BlockingModel(Bind bind, ServerContext ctx) {
        this(bind, ctx, null);
    }

    private BlockingModel(Bind bind, ServerContext ctx, SocketChannel inherited) {
        this.bind = bind;
        this.ctx = ctx;
        this.log = ctx.errorLog();
        this.inherited = inherited;
    }

    /**
     * A model that serves one connection accepted by another process ({@code process}'s child)
     * as the blocking models serve theirs: {@link #start()} runs its session on a thread, with the
     * watchdog; {@link #stop()} drains it; it has stopped once the connection closed.
     */
    public static Model servingOne(SocketChannel ch, ServerContext ctx, String name) {
        return new BlockingModel(new Bind(new InetSocketAddress(0), false), ctx, ch) {
            @Override public String name() { return name; }
            @Override void dispatch(ConnectionTask s) { Thread.ofPlatform().name("tenk-conn").start(s); }
        };
    }

    /** Runs the task: on the acceptor thread itself, a new thread, or a pool. */
    abstract void dispatch(ConnectionTask s);

    /** Releases the model's own threads once every connection is gone. */
    void release() {}

    @Override public final void start() throws IOException {
        if (inherited != null) {
            if (!ctx.connections().tryAcquire()) throw new IOException("no connection slot");
            watchdog = Thread.ofPlatform().name("tenk-" + name() + "-watchdog").daemon().start(this::watch);
            accepted(inherited);
            return;
        }
        ServerSocketChannel server = Acceptor.listen(SelectorProvider.provider(), bind);
        bound = (InetSocketAddress) server.getLocalAddress();
        acceptor = new Acceptor(server, this::accepted, ctx);
        watchdog = Thread.ofPlatform().name("tenk-" + name() + "-watchdog").daemon().start(this::watch);
        acceptor.start("tenk-" + name() + "-accept");
    }

    private void accepted(SocketChannel ch) {
        ConnectionTask s;
        try {
            s = new ConnectionTask(ctx, buffers, ch, this::finished);
        } catch (IOException e) {
            Acceptor.closeQuietly(ch);
            ctx.connections().release();
            if (inherited != null) stop();
            return;
        }
        live.add(s);
        long deadline = stopDeadline;
        if (deadline != 0) {
            s.stop();
            if (System.nanoTime() - deadline >= 0) { // queued past the shutdown deadline: not served
                s.kill();
                finished(s);
                return;
            }
        }
        try {
            dispatch(s);
        } catch (OutOfMemoryError e) { // no thread could be created: refuse this one, keep the rest
            log.warn("cannot start a thread for a connection: " + e.getMessage());
            s.kill();
            finished(s);
        }
    }

    /** A connection ended (its own thread): it gives back its slot. */
    void finished(ConnectionTask s) {
        live.remove(s);
        ctx.connections().release();
        if (inherited != null) stop(); // its one connection is over
    }

    /** A connection will not be served (an overloaded pool): answer 503 off the acceptor thread. */
    void reject(ConnectionTask s) {
        live.remove(s);
        ctx.connections().release();
        acceptor.refuse(s.channel(), "the pool's queue is full");
    }

    private void watch() {
        try {
            watchLoop();
        } catch (Throwable t) {
            // without it stalled writes are never closed and a stop never ends: the process must go
            ctx.fatal().failed("watchdog " + Thread.currentThread().getName(), t);
        }
    }

    private void watchLoop() {
        long writeTimeout = ctx.timeouts().write().toNanos();
        while (true) {
            try {
                Thread.sleep(WATCH_TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long deadline = stopDeadline;
            if (deadline != 0) {
                if (live.isEmpty() && !accepting()) return;
                if (now - deadline >= 0) {
                    live.forEach(ConnectionTask::kill);
                    // a handler that never returns cannot keep us up; but while the acceptor still
                    // hands on queued connections (iterative serves them on its own thread) they
                    // need the watchdog to end their stalled writes
                    if (now - deadline > STRAGGLER_NANOS && !accepting()) return;
                }
            }
            for (ConnectionTask s : live) s.watch(now, writeTimeout);
            if (deadline != 0) for (ConnectionTask s : live) s.closeIfDrainedIdle(now);
        }
    }

    private boolean accepting() { return acceptor != null && acceptor.running(); }

    @Override public InetSocketAddress address() { return bound != null ? bound : bind.address(); }

    @Override public final void stop() {
        synchronized (this) {
            if (stopDeadline != 0 || watchdog == null) return;
            long d = System.nanoTime() + ctx.timeouts().shutdown().toNanos();
            stopDeadline = d == 0 ? 1 : d;
        }
        if (acceptor != null) acceptor.stop();
        live.forEach(ConnectionTask::stop);
    }

    @Override public final void awaitStopped() throws InterruptedException {
        if (watchdog == null) return;
        if (acceptor != null) acceptor.join();
        watchdog.join();
        release();
    }
}
