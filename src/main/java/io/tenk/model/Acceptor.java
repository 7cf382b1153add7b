package io.tenk.model;

import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A thread that accepts connections on a listening socket and hands each one on (to a session
 * it runs itself, a new thread, a pool, or an event loop's queue), in blocking mode as accepted.
 * It accepts until the kernel has none queued, then waits on a selector of its own: an accept
 * costs one system call, where the JDK's accept with a timeout switches the listening socket to
 * non-blocking mode and back around each one (four {@code fcntl} calls), and an idle acceptor
 * does not wake.
 *
 * <p>Stopping: {@link #stop()} asks and wakes the thread, which takes every connection the kernel
 * has already queued, closes the listening socket and hands the queued ones on, so that they are
 * answered rather than reset by the close. New connections then go to another socket on the port
 * ({@code SO_REUSEPORT}) or are refused.
 */
public final class Acceptor {
    private final ServerSocketChannel server;
    private final Consumer<SocketChannel> handoff;
    private final ServerContext ctx;
    private final ConnectionLimiter limiter;
    private final ErrorLog log;
    private final Refuser refuser;
    private volatile boolean stopped;
    private volatile Selector waiter; // what the thread waits on for connections, once it runs
    private Thread thread;
    private Runnable onStopped = () -> { };

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

    /**
     * Opens a listening socket the way every model does (SO_REUSEADDR, a deep backlog, SO_REUSEPORT
     * when asked), or takes the one the service manager passed.
     */
    public static ServerSocketChannel listen(SelectorProvider provider, Bind bind) throws IOException {
        if (bind.inherited()) return InheritedSocket.take();
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

    /** Runs {@code then} on the acceptor thread once it has stopped and handed on the last connection. */
    public void whenStopped(Runnable then) {
        this.onStopped = then;
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

    private void run() throws IOException {
        try (Selector waiter = server.provider().openSelector()) {
            server.configureBlocking(false);
            server.register(waiter, SelectionKey.OP_ACCEPT);
            this.waiter = waiter;
            if (stopped) waiter.wakeup(); // stop() came before the selector was there to wake
            AcceptBackoff backoff = new AcceptBackoff(log);
            while (!stopped) {
                boolean took;
                try {
                    took = takeOne();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (!server.isOpen() || stopped) return;
                    backoff.failed(e, System.nanoTime());
                    try {
                        Thread.sleep(AcceptBackoff.PAUSE_NANOS / 1_000_000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    continue;
                }
                if (!took) {
                    waiter.select(); // until a connection is queued, or stop() wakes it
                    waiter.selectedKeys().clear();
                }
            }
        } catch (ClosedChannelException e) {
            return; // closed before it began
        }
        List<SocketChannel> queued = new ArrayList<>();
        try {
            for (SocketChannel ch; (ch = server.accept()) != null; ) queued.add(ch);
        } catch (IOException e) {
            // closed or failing: what was taken is still served
        }
        closeQuietly(server);
        for (SocketChannel ch : queued) admit(ch);
        onStopped.run();
    }

    /** Accepts one queued connection and hands it on (or refuses it); false when none is queued. */
    private boolean takeOne() throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) return false;
        admit(ch);
        return true;
    }

    private void admit(SocketChannel ch) {
        if (!limiter.tryAcquire()) {
            refuser.refuse(ch);
            return;
        }
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            closeQuietly(ch); // the peer already left
            limiter.release();
            return;
        }
        handoff.accept(ch);
    }

    /** Stops accepting (see the class comment). Safe from any thread, more than once. */
    public void stop() {
        stopped = true;
        Selector w = waiter;
        if (w != null) w.wakeup();
    }

    /** Whether the thread still accepts or hands on connections. */
    public boolean running() {
        return thread != null && thread.isAlive();
    }

    public void join() throws InterruptedException {
        if (thread != null) thread.join();
    }

    public static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
