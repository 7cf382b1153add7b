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
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code reactor}: N event loops (Netty, nginx workers), a connection on one loop for its life.
 * How connections reach the loops:
 *
 * <p>With one loop (one core, or {@code --threads 1}) the loop accepts for itself, as nginx with one
 * worker does.
 *
 * <p>With several loops on epoll ({@code epoll-lt}, the default, {@code epoll-et},
 * {@code epoll-oneshot}), every loop watches the one listening socket and accepts for itself, the
 * kernel waking one waiting loop per new connection ({@code EPOLLEXCLUSIVE}, nginx's way on Linux);
 * a busy loop is not waiting, so connections go to the idle ones. An acceptor thread handing each
 * connection over cost two thread switches and a wake-up per connection: about twice the CPU
 * per new connection with two loops on two cores (docs/BENCHMARKS.md, "Several cores").
 *
 * <p>Loops on the JDK's Selector ({@code epoll}, {@code poll}) or on select(2)/poll(2) cannot share
 * a socket so: an acceptor thread hands each connection to the next loop, round robin, through the
 * loop's queue and {@code wakeup()}.
 *
 * <p>With {@code --reuseport} ({@code listenPerLoop}), every loop accepts for itself, each on a
 * listening socket of its own bound to the one port with SO_REUSEPORT: the kernel spreads new
 * connections over the sockets by a hash of their addresses, so no thread hands them out and no
 * two loops contend for one accept queue (nginx's {@code listen ... reuseport}; what
 * {@code EPOLLEXCLUSIVE} would do for loops sharing one socket, without the sharing). The spread
 * is blind to load: a loop busy with a slow step still gets its share. A socket inherited from
 * systemd cannot be multiplied; the acceptor hands its connections out as usual.
 */
public final class ReactorModel implements Model {
    private final Bind bind;
    private final ServerContext ctx;
    private final SelectorProvider provider;
    private final SelectorKind kind;
    private final SocketTransport.Cork cork;
    private final boolean listenPerLoop;
    private final EventLoop[] loops;
    private final Thread[] threads;
    private InetSocketAddress bound;
    private Acceptor acceptor;
    private int next;

    /**
     * N loops, each with its own readiness source of {@code kind} ({@link Selectors});
     * {@code nopush}: file responses corked ({@code --tcp-nopush}); {@code listenPerLoop}: a
     * listening socket per loop ({@code --reuseport}; {@code bind} then shares the port).
     */
    public ReactorModel(Bind bind, ServerContext ctx, int loops, SelectorKind kind, boolean nopush, boolean listenPerLoop) {
        this.bind = bind;
        this.ctx = ctx;
        this.provider = Selectors.provider(kind);
        this.kind = kind;
        Selectors.check(kind);
        this.cork = Selectors.cork(nopush);
        this.listenPerLoop = listenPerLoop;
        this.loops = new EventLoop[loops];
        this.threads = new Thread[loops];
    }

    @Override public String name() { return "reactor"; }

    @Override public void start() throws IOException {
        ServerSocketChannel server = Acceptor.listen(provider, bind);
        // every loop on a socket of its own (with one loop, that is the one socket)
        boolean perLoop = loops.length == 1 || (listenPerLoop && !bind.inherited());
        boolean sharing = false; // every loop watching the one socket, one woken per connection
        ServerSocketChannel[] own = new ServerSocketChannel[loops.length];
        try {
            bound = (InetSocketAddress) server.getLocalAddress();
            if (perLoop) {
                own[0] = server;
                // port 0 was resolved by the first bind: the others join that port
                Bind same = new Bind(bound, true);
                for (int i = 1; i < loops.length; i++) own[i] = Acceptor.listen(provider, same);
            }
            Refuser refuser = new Refuser(ctx); // bounded per socket: shared where the socket is
            AcceptBackoff backoff = new AcceptBackoff(ctx.errorLog());
            AtomicInteger accepting = new AtomicInteger(loops.length); // the last loop to stop closes the shared socket
            for (int i = 0; i < loops.length; i++) {
                Readiness source = Selectors.open(kind, provider);
                // the sources are all of one kind: the first says whether they can share the socket
                if (!perLoop && (i == 0 || sharing)) sharing = source.listenAmongOthers();
                loops[i] = perLoop ? new EventLoop(ctx, source, own[i], cork)
                        : new EventLoop(ctx, source, sharing ? server : null, cork, refuser, backoff, accepting);
            }
        } catch (IOException | RuntimeException e) {
            Acceptor.closeQuietly(server);
            for (ServerSocketChannel s : own) if (s != null) Acceptor.closeQuietly(s);
            for (EventLoop l : loops) if (l != null) l.stop();
            throw e;
        }
        for (int i = 0; i < loops.length; i++) threads[i] = Thread.ofPlatform().name("tenk-loop-" + i).start(loops[i]);
        if (perLoop || sharing) return; // the loops accept for themselves
        acceptor = new Acceptor(server, this::handOff, ctx); // loops that take JDK channels, which it hands them
        // the loops drain once the acceptor has handed them the last queued connection
        acceptor.whenStopped(() -> { for (EventLoop l : loops) l.stop(); });
        acceptor.start("tenk-reactor-accept-" + bound.getPort()); // the port: which server it is, in a thread dump
    }

    /** Acceptor thread only. */
    private void handOff(SocketChannel ch) {
        nextLoop().submit(ch);
    }

    private EventLoop nextLoop() {
        EventLoop loop = loops[next];
        next = (next + 1) % loops.length;
        return loop;
    }

    @Override public InetSocketAddress address() { return bound != null ? bound : bind.address(); }

    @Override public void stop() {
        if (acceptor != null) acceptor.stop();
        else for (EventLoop l : loops) if (l != null) l.stop(); // loops accepting for themselves
    }

    @Override public void awaitStopped() throws InterruptedException {
        if (acceptor != null) {
            acceptor.join();
            for (EventLoop l : loops) if (l != null) l.stop(); // already stopped, unless the acceptor ended some other way
        }
        for (Thread t : threads) if (t != null) t.join();
    }
}
