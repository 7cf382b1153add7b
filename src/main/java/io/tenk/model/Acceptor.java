package io.tenk.model;

import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.function.Consumer;

/**
 * A thread that accepts connections on a blocking listening socket and hands each one on (to a
 * session it runs itself, a new thread, a pool, or an event loop's queue). {@link #stop()} closes
 * the listening socket, which ends a blocked {@code accept}.
 */
public final class Acceptor {
    private static final long BACKOFF_MILLIS = 100;

    private final ServerSocketChannel server;
    private final Consumer<SocketChannel> handoff;
    private final ServerContext ctx;
    private final ConnectionLimiter limiter;
    private final ErrorLog log;
    private final Refuser refuser;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param handoff gets each accepted connection that holds a slot of {@code ctx.connections()};
     *                whoever serves it gives the slot back when it closes
     */
    public Acceptor(ServerSocketChannel server, Consumer<SocketChannel> handoff, ServerContext ctx) {
        this.server = server;
        this.handoff = handoff;
        this.ctx = ctx;
        this.limiter = ctx.connections();
        this.log = ctx.errorLog();
        this.refuser = new Refuser(ctx);
    }

    /**
     * Answers a connection that will not be served with a 503 (the acceptor thread, from its
     * hand-off). Connections over {@code --max-connections} get the same from the acceptor itself.
     */
    public void refuse(SocketChannel ch, String why) {
        refuser.refuse(ch, why);
    }

    /** Opens a listening socket the way every model does (SO_REUSEADDR, a deep backlog, SO_REUSEPORT when asked). */
    public static ServerSocketChannel listen(SelectorProvider provider, Bind bind) throws IOException {
        ServerSocketChannel server = provider.openServerSocketChannel();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (bind.reusePort()) server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            server.bind(bind.address(), 4096);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public void start(String threadName) {
        thread = Thread.ofPlatform().name(threadName).start(this::guarded);
    }

    /**
     * The thread: {@link #run()}, then the end of its refusals. Should it fail (an {@link Error}),
     * it reports to {@link io.tenk.conn.Fatal}: without its acceptor the port would stay open with
     * nobody serving it, so the server stops.
     */
    private void guarded() {
        try {
            run();
        } catch (Throwable t) {
            ctx.fatal().failed("acceptor " + Thread.currentThread().getName(), t);
        } finally {
            refuser.close();
        }
    }

    private void run() {
        long lastError = 0;
        while (!stopped) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopped) return;
                // typically EMFILE/ENFILE: keep serving open connections, retry shortly, log rarely
                long now = System.nanoTime();
                if (lastError == 0 || now - lastError > 1_000_000_000L) {
                    lastError = now;
                    log.warn("accept failed, pausing new connections briefly: " + ErrorLog.describe(e));
                }
                try {
                    Thread.sleep(BACKOFF_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (!limiter.tryAcquire()) {
                refuser.refuse(ch);
                continue;
            }
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                closeQuietly(ch); // the peer already left
                limiter.release();
                continue;
            }
            handoff.accept(ch);
        }
    }

    /** Stops accepting: closes the listening socket. Safe from any thread, more than once. */
    public void stop() {
        stopped = true;
        closeQuietly(server);
    }

    public void join() throws InterruptedException {
        if (thread != null) thread.join();
    }

    public InetSocketAddress address(InetSocketAddress fallback) {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            return fallback;
        }
    }

    public static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
