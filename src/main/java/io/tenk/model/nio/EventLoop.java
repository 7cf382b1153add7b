package io.tenk.model.nio;

import io.tenk.conn.HttpSession;
import io.tenk.conn.HttpSession.Step;
import io.tenk.conn.IoBuffers;
import io.tenk.conn.ServerContext;
import io.tenk.model.Refuser;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread, one {@link Selector}, many connections. Accepts (when it owns the listening
 * socket), reads, writes and times out connections without ever blocking. Other threads talk to
 * a loop only through {@link #submit} and {@link #stop}: a queue plus {@code wakeup()}; nothing
 * else of the loop is touched from outside its thread.
 */
final class EventLoop implements Runnable {
    private static final long TICK_NANOS = 250_000_000L;
    private static final long ACCEPT_BACKOFF_NANOS = 100_000_000L;

    private final ServerContext ctx;
    private final ErrorLog log;
    private final Selector selector;
    private final ServerSocketChannel server; // null when an acceptor hands connections in
    private final SelectionKey serverKey;
    private final IoBuffers io = new IoBuffers();
    private final ArrayList<Connection> connections = new ArrayList<>();
    private final ConcurrentLinkedQueue<SocketChannel> handedIn = new ConcurrentLinkedQueue<>();
    private final Refuser refuser;

    private volatile boolean stopRequested;
    private volatile boolean ended;
    private boolean draining;
    private long drainDeadline;
    private long nextTick;
    private long acceptPausedUntil;
    private long lastAcceptError;
    private long now;

    EventLoop(ServerContext ctx, Selector selector, ServerSocketChannel server) throws IOException {
        this.ctx = ctx;
        this.log = ctx.errorLog();
        this.selector = selector;
        this.server = server;
        this.refuser = new Refuser(ctx);
        if (server != null) {
            server.configureBlocking(false);
            this.serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
        } else {
            this.serverKey = null;
        }
    }

    /**
     * Hands an accepted connection to this loop (any thread). The acceptor has already taken its
     * slot from {@link ServerContext#connections()}; the loop gives it back when the connection closes.
     */
    void submit(SocketChannel ch) {
        handedIn.add(ch);
        selector.wakeup();
        if (ended) closeHandedIn(); // the loop is gone (the server is stopping): nobody else would close it
    }

    /** Asks the loop to drain and stop (any thread). */
    void stop() {
        stopRequested = true;
        selector.wakeup();
    }

    @Override public void run() {
        now = System.nanoTime();
        nextTick = now + TICK_NANOS;
        try {
            while (true) {
                long wait = Math.max(1, (nextTick - now) / 1_000_000);
                selector.select(this::onReady, wait);
                now = System.nanoTime();
                registerHandedIn();
                if (now - nextTick >= 0) {
                    tick();
                    nextTick = now + TICK_NANOS;
                }
                if (stopRequested && !draining) beginDrain();
                if (draining && (connections.isEmpty() || now - drainDeadline >= 0)) break;
            }
        } catch (Throwable t) {
            // not one connection's failure (onReady contains those): the loop's own state is in
            // doubt, and its connections and queue would wait forever: the process must go
            ctx.fatal().failed("event loop " + Thread.currentThread().getName(), t);
        } finally {
            ended = true;
            closeAll();
        }
    }

    private void onReady(SelectionKey key) {
        if (key == serverKey) {
            accept();
            return;
        }
        Connection c = (Connection) key.attachment();
        try {
            if (!key.isValid()) return;
            if (key.isReadable()) readable(c);
            else if (key.isWritable()) apply(c, c.session.onWritable(c.channel, io, now));
        } catch (IOException e) {
            log.debug("connection " + c.session.remote() + " ended: " + ErrorLog.describe(e));
            close(c);
        } catch (RuntimeException e) {
            log.error("connection " + c.session.remote() + " failed", e);
            close(c);
        }
    }

    private void readable(Connection c) throws IOException {
        ByteBuffer buf = io.read;
        buf.clear();
        int n = c.channel.read(buf);
        if (n < 0) {
            close(c); // the peer is done; a response in flight was already written in full
            return;
        }
        if (n == 0) return;
        buf.flip();
        apply(c, c.session.onRead(buf, c.channel, io, now));
    }

    private void apply(Connection c, Step step) throws IOException {
        switch (step) {
            case READ -> interest(c, SelectionKey.OP_READ);
            case WRITE -> interest(c, SelectionKey.OP_WRITE);
            case LINGER -> {
                if (!c.outputShut) {
                    c.outputShut = true;
                    c.channel.shutdownOutput();
                }
                interest(c, SelectionKey.OP_READ);
            }
            case CLOSE -> close(c);
        }
    }

    private static void interest(Connection c, int ops) {
        if (c.interest != ops) {
            c.interest = ops;
            c.key.interestOps(ops);
        }
    }

    private void accept() {
        if (draining) return;
        while (true) {
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
                serverKey.interestOps(0);
                return;
            }
            if (ch == null) return;
            if (ctx.connections().tryAcquire()) register(ch);
            else refuser.refuse(ch);
        }
    }

    private void registerHandedIn() {
        SocketChannel ch;
        while ((ch = handedIn.poll()) != null) {
            // accepted just before the stop: serve its request (then close) rather than drop it
            Connection c = register(ch);
            if (c != null && draining) c.session.drain(now);
        }
    }

    private Connection register(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
            String remote = peer == null ? "-" : peer.getAddress().getHostAddress();
            Connection c = new Connection(ch, new HttpSession(ctx, remote, now));
            c.interest = SelectionKey.OP_READ;
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            c.index = connections.size();
            connections.add(c);
            return c;
        } catch (ClosedChannelException e) {
            closeQuietly(ch);
            ctx.connections().release();
            return null;
        } catch (IOException e) {
            log.debug("could not register a connection: " + ErrorLog.describe(e));
            closeQuietly(ch);
            ctx.connections().release();
        }
        return null;
    }

    /** Times out connections whose deadline passed; resumes accepting after a back-off. */
    private void tick() {
        if (serverKey != null && !draining && acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i >= connections.size()) continue;
            Connection c = connections.get(i);
            if (now - c.session.deadline() < 0) continue;
            try {
                apply(c, c.session.onTimeout(c.channel, io, now));
            } catch (IOException | RuntimeException e) {
                close(c);
            }
        }
    }

    /**
     * Stops accepting and drains: every connection finishes its exchange and closes, one between
     * requests once it has been idle briefly ({@link HttpSession#drain}); the loop ends when none
     * is left or the shutdown timeout passes.
     */
    private void beginDrain() {
        if (serverKey != null) {
            // connections the kernel already queued are served (with Connection: close): closing
            // the listening socket would reset them
            if (serverKey.isValid() && acceptPausedUntil == 0) accept();
            serverKey.cancel();
            closeQuietly(server);
        }
        draining = true;
        drainDeadline = now + ctx.timeouts().shutdown().toNanos();
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i >= connections.size()) continue;
            Connection c = connections.get(i);
            if (c.session.drain(now)) close(c);
        }
    }

    private void close(Connection c) {
        if (c.index < 0) return;
        c.session.close();
        if (c.key != null) c.key.cancel();
        closeQuietly(c.channel);
        int last = connections.size() - 1;
        Connection moved = connections.get(last);
        connections.set(c.index, moved);
        moved.index = c.index;
        connections.remove(last);
        c.index = -1;
        ctx.connections().release();
    }

    private void closeAll() {
        for (int i = connections.size() - 1; i >= 0; i--) close(connections.get(i));
        closeHandedIn();
        refuser.close();
        if (server != null) closeQuietly(server);
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private void closeHandedIn() {
        SocketChannel ch;
        while ((ch = handedIn.poll()) != null) {
            closeQuietly(ch);
            ctx.connections().release();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
