package io.tenk.model.nio;

import io.tenk.config.SelectorKind;
import io.tenk.conn.ServerContext;
import io.tenk.model.Acceptor;
import io.tenk.model.Bind;
import io.tenk.model.Model;

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
 */
public final class LoopModel implements Model {
    private final String name;
    private final Bind bind;
    private final ServerContext ctx;
    private final SelectorProvider provider;
    private final SelectorKind kind; // null: polling
    private ServerSocketChannel server;
    private InetSocketAddress bound;
    private EventLoop loop;
    private Thread thread;

    private LoopModel(String name, Bind bind, ServerContext ctx, SelectorKind kind) {
        this.name = name;
        this.bind = bind;
        this.ctx = ctx;
        this.provider = kind == null ? SelectorProvider.provider() : Selectors.provider(kind);
        this.kind = kind;
        if (kind != null) Selectors.check(kind);
    }

    /** {@code selector}: one loop on the readiness source of {@code kind} ({@link Selectors}). */
    public static LoopModel selector(Bind bind, ServerContext ctx, SelectorKind kind) {
        return new LoopModel("selector", bind, ctx, kind);
    }

    /** {@code polling}: one loop that tries every connection on every pass. */
    public static LoopModel polling(Bind bind, ServerContext ctx) {
        return new LoopModel("polling", bind, ctx, null);
    }

    @Override public String name() { return name; }

    @Override public void start() throws IOException {
        server = Acceptor.listen(provider, bind);
        try {
            bound = (InetSocketAddress) server.getLocalAddress();
            Readiness readiness = kind == null ? new PollingReadiness() : Selectors.open(kind, provider);
            loop = new EventLoop(ctx, readiness, server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        thread = Thread.ofPlatform().name("tenk-" + name).start(loop);
    }

    @Override public InetSocketAddress address() { return bound != null ? bound : bind.address(); }

    @Override public void stop() {
        if (loop != null) loop.stop();
    }

    @Override public void awaitStopped() throws InterruptedException {
        if (thread != null) thread.join();
    }
}
