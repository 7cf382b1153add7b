package io.tenk.model.nio;

import io.tenk.config.SelectorKind;
import io.tenk.conn.ServerContext;
import io.tenk.model.AcceptBackoff;
import io.tenk.model.Acceptor;
import io.tenk.model.Bind;
import io.tenk.model.Model;
import io.tenk.model.Refuser;
import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * One {@link EventLoop} on one thread that owns the listening socket too:
 * <ul>
 *   <li>{@code selector}: readiness from a Selector (epoll or poll(2)) or from the kernel directly
 *       (select, poll, epoll level- or edge-triggered or one-shot: {@link Selectors}); nginx with one worker;</li>
 *   <li>{@code polling}: no readiness, every connection tried on every pass ({@link PollingReadiness}).</li>
 * </ul>
 * With {@code --selector epoll-oneshot} and {@code --threads N} (N &gt; 1), {@code selector} runs N
 * loops on N threads that all wait on the one epoll set, leader/follower ({@link SharedEpoll}).
 */
public final class LoopModel implements Model {
    private final String name;
    private final Bind bind;
    private final ServerContext ctx;
    private final SelectorProvider provider;
    private final SelectorKind kind; // null: polling
    private final SocketTransport.Cork cork;
    private final EventLoop[] loops;
    private final Thread[] threads;
    private ServerSocketChannel server;
    private InetSocketAddress bound;

    private LoopModel(String name, Bind bind, ServerContext ctx, SelectorKind kind, int threads, boolean nopush) {
        this.name = name;
        this.bind = bind;
        this.ctx = ctx;
        this.provider = kind == null ? SelectorProvider.provider() : Selectors.provider(kind);
        this.kind = kind;
        if (kind != null) Selectors.check(kind);
        this.cork = Selectors.cork(nopush);
        this.loops = new EventLoop[threads];
        this.threads = new Thread[threads];
    }

    /**
     * {@code selector}: one loop on the readiness source of {@code kind} ({@link Selectors}), or
     * with {@code epoll-oneshot} {@code threads} loops on one shared set (0 or 1: one loop);
     * {@code nopush}: file responses corked ({@code --tcp-nopush}).
     *
     * @throws IllegalArgumentException more than one thread on a kind that cannot share its set
     */
    public static LoopModel selector(Bind bind, ServerContext ctx, SelectorKind kind, int threads, boolean nopush) {
        if (threads > 1 && kind != SelectorKind.EPOLL_ONESHOT) {
            throw new IllegalArgumentException("--model selector runs one thread; several (--threads " + threads
                    + ") share its event set only with --selector epoll-oneshot");
        }
        return new LoopModel("selector", bind, ctx, kind, Math.max(1, threads), nopush);
    }

    /** {@code polling}: one loop that tries every connection on every pass. */
    public static LoopModel polling(Bind bind, ServerContext ctx) {
        return new LoopModel("polling", bind, ctx, null, 1, false);
    }

    @Override public String name() { return name; }

    @Override public void start() throws IOException {
        server = Acceptor.listen(provider, bind);
        try {
            bound = (InetSocketAddress) server.getLocalAddress();
            if (loops.length == 1) {
                loops[0] = new EventLoop(ctx, kind == null ? new PollingReadiness() : Selectors.open(kind, provider), server, cork);
            } else {
                SharedEpoll set = new SharedEpoll();
                Refuser refuser = new Refuser(ctx);
                AcceptBackoff backoff = new AcceptBackoff(ctx.errorLog());
                for (int i = 0; i < loops.length; i++) loops[i] = new EventLoop(ctx, set.view(), server, cork, refuser, backoff);
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        for (int i = 0; i < loops.length; i++) {
            threads[i] = Thread.ofPlatform().name("tenk-" + name + (loops.length == 1 ? "" : "-" + i)).start(loops[i]);
        }
    }

    @Override public InetSocketAddress address() { return bound != null ? bound : bind.address(); }

    @Override public void stop() {
        for (EventLoop l : loops) if (l != null) l.stop();
    }

    @Override public void awaitStopped() throws InterruptedException {
        for (Thread t : threads) if (t != null) t.join();
    }
}
