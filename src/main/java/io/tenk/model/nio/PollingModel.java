package io.tenk.model.nio;

import io.tenk.conn.HttpSession;
import io.tenk.conn.HttpSession.Step;
import io.tenk.conn.IoBuffers;
import io.tenk.conn.ServerContext;
import io.tenk.model.Acceptor;
import io.tenk.model.Bind;
import io.tenk.model.Refuser;
import io.tenk.model.Model;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code polling}: one thread, non-blocking sockets, no selector. Each pass tries to accept, then
 * reads or writes every connection (whichever its session waits for), then times out the late
 * ones. A pass that did nothing parks the thread, backing off from 0.1 ms to 5 ms, so an idle
 * server sleeps; a busy one pays a system call per connection per pass: O(n) however few are
 * ready, which is why servers moved to select/poll/epoll.
 */
public final class PollingModel implements Model {
    private static final long MIN_PARK_NANOS = 100_000L;
    private static final long MAX_PARK_NANOS = 5_000_000L;
    private static final long ACCEPT_BACKOFF_NANOS = 100_000_000L;
    private static final int ACCEPTS_PER_PASS = 64;

    private final Bind bind;
    private final ServerContext ctx;
    private final ErrorLog log;
    private final IoBuffers io = new IoBuffers();
    private final ArrayList<Connection> connections = new ArrayList<>();
    private final Refuser refuser;
    private ServerSocketChannel server;
    private InetSocketAddress bound;
    private Thread thread;
    private volatile boolean stopRequested;

    // loop thread only
    private long now;
    private boolean draining;
    private long drainDeadline;
    private long acceptPausedUntil;
    private long lastAcceptError;

    public PollingModel(Bind bind, ServerContext ctx) {
        this.bind = bind;
        this.ctx = ctx;
        this.log = ctx.errorLog();
        this.refuser = new Refuser(ctx);
    }

    @Override public String name() { return "polling"; }

    @Override public void start() throws IOException {
        server = Acceptor.listen(SelectorProvider.provider(), bind);
        server.configureBlocking(false);
        bound = (InetSocketAddress) server.getLocalAddress();
        thread = Thread.ofPlatform().name("tenk-polling").start(this::run);
    }

    private void run() {
        long park = MIN_PARK_NANOS;
        try {
            while (true) {
                now = System.nanoTime();
                boolean busy = !draining && acceptAll();
                for (int i = connections.size() - 1; i >= 0; i--) {
                    busy |= poll(connections.get(i)); // a close swaps in the last one, already polled
                }
                if (stopRequested && !draining) beginDrain();
                if (draining && (connections.isEmpty() || now - drainDeadline >= 0)) break;
                if (busy) {
                    park = MIN_PARK_NANOS;
                } else {
                    LockSupport.parkNanos(park);
                    park = Math.min(park * 2, MAX_PARK_NANOS);
                }
            }
        } catch (Throwable t) {
            // not one connection's failure (poll contains those): the loop's own state is in doubt
            ctx.fatal().failed("polling loop", t);
        } finally {
            for (int i = connections.size() - 1; i >= 0; i--) close(connections.get(i));
            Acceptor.closeQuietly(server);
            refuser.close();
        }
    }

    /** Accepts what is waiting; returns whether anything was. */
    private boolean acceptAll() {
        if (acceptPausedUntil != 0) {
            if (now - acceptPausedUntil < 0) return false;
            acceptPausedUntil = 0;
        }
        for (int i = 0; i < ACCEPTS_PER_PASS; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                // typically EMFILE/ENFILE: keep serving open connections, retry shortly, log rarely
                if (now - lastAcceptError > 1_000_000_000L) {
                    lastAcceptError = now;
                    log.warn("accept failed, pausing new connections briefly: " + ErrorLog.describe(e));
                }
                acceptPausedUntil = now + ACCEPT_BACKOFF_NANOS;
                return i > 0;
            }
            if (ch == null) return i > 0;
            if (ctx.connections().tryAcquire()) register(ch);
            else refuser.refuse(ch);
        }
        return true;
    }

    private void register(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
            Connection c = new Connection(ch, new HttpSession(ctx, peer == null ? "-" : peer.getAddress().getHostAddress(), now));
            c.interest = SelectionKey.OP_READ;
            c.index = connections.size();
            connections.add(c);
        } catch (IOException e) {
            log.debug("could not set up a connection: " + ErrorLog.describe(e));
            Acceptor.closeQuietly(ch);
            ctx.connections().release();
        }
    }

    /** One try at the connection's next step; returns whether anything happened. */
    private boolean poll(Connection c) {
        try {
            if (now - c.session.deadline() >= 0) {
                apply(c, c.session.onTimeout(c.channel, io, now));
                return true;
            }
            if (c.interest == SelectionKey.OP_WRITE) {
                long before = c.session.progress();
                apply(c, c.session.onWritable(c.channel, io, now));
                return c.session.progress() != before || c.interest != SelectionKey.OP_WRITE;
            }
            ByteBuffer buf = io.read;
            buf.clear();
            int n = c.channel.read(buf);
            if (n == 0) return false;
            if (n < 0) {
                close(c);
                return true;
            }
            buf.flip();
            apply(c, c.session.onRead(buf, c.channel, io, now));
            return true;
        } catch (IOException e) {
            log.debug("connection " + c.session.remote() + " ended: " + ErrorLog.describe(e));
            close(c);
            return true;
        } catch (RuntimeException e) {
            log.error("connection " + c.session.remote() + " failed", e);
            close(c);
            return true;
        }
    }

    private void apply(Connection c, Step step) throws IOException {
        switch (step) {
            case READ -> c.interest = SelectionKey.OP_READ;
            case WRITE -> c.interest = SelectionKey.OP_WRITE;
            case LINGER -> {
                if (!c.outputShut) {
                    c.outputShut = true;
                    c.channel.shutdownOutput();
                }
                c.interest = SelectionKey.OP_READ;
            }
            case CLOSE -> close(c);
        }
    }

    private void beginDrain() {
        draining = true;
        drainDeadline = now + ctx.timeouts().shutdown().toNanos();
        Acceptor.closeQuietly(server);
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            if (c.session.drain()) close(c);
        }
    }

    private void close(Connection c) {
        if (c.index < 0) return;
        c.session.close();
        Acceptor.closeQuietly(c.channel);
        int last = connections.size() - 1;
        Connection moved = connections.get(last);
        connections.set(c.index, moved);
        moved.index = c.index;
        connections.remove(last);
        c.index = -1;
        ctx.connections().release();
    }

    @Override public InetSocketAddress address() { return bound != null ? bound : bind.address(); }

    @Override public void stop() {
        stopRequested = true;
        if (thread != null) LockSupport.unpark(thread);
    }

    @Override public void awaitStopped() throws InterruptedException {
        if (thread != null) thread.join();
    }
}
