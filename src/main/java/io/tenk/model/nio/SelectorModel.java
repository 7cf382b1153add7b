package io.tenk.model.nio;

import io.tenk.conn.ServerContext;
import io.tenk.model.Acceptor;
import io.tenk.model.Bind;
import io.tenk.model.Model;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * {@code selector}: one thread and one Selector serve every connection (nginx with one worker).
 * The Selector comes from the given provider ({@link Selectors}: epoll or poll(2)).
 */
public final class SelectorModel implements Model {
    private final Bind bind;
    private final ServerContext ctx;
    private final SelectorProvider provider;
    private ServerSocketChannel server;
    private EventLoop loop;
    private Thread thread;

    public SelectorModel(Bind bind, ServerContext ctx) {
        this(bind, ctx, SelectorProvider.provider());
    }

    public SelectorModel(Bind bind, ServerContext ctx, SelectorProvider provider) {
        this.bind = bind;
        this.ctx = ctx;
        this.provider = provider;
    }

    @Override public String name() { return "selector"; }

    @Override public void start() throws IOException {
        server = Acceptor.listen(provider, bind);
        try {
            loop = new EventLoop(ctx, provider.openSelector(), server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        thread = Thread.ofPlatform().name("tenk-selector").unstarted(loop);
        thread.start();
    }

    @Override public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            return bind.address();
        }
    }

    @Override public void stop() {
        if (loop != null) loop.stop();
    }

    @Override public void awaitStopped() throws InterruptedException {
        if (thread != null) thread.join();
    }
}
