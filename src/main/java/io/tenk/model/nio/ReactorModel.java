package io.tenk.model.nio;

import io.tenk.config.SelectorKind;
import io.tenk.conn.ServerContext;
import io.tenk.model.Acceptor;
import io.tenk.model.Bind;
import io.tenk.model.Model;
import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * {@code reactor}: an acceptor thread and N event loops (Netty, nginx workers). The acceptor hands
 * each connection to the next loop, round robin, through the loop's queue and {@code wakeup()};
 * the connection then belongs to that loop for its life. Where the loops watch bare descriptors
 * ({@code epoll-lt}, {@code epoll-oneshot}) the acceptor takes them so ({@link Descriptors}).
 *
 * <p>With one loop (one core, or {@code --threads 1}) the loop accepts for itself, as nginx with one
 * worker does: an acceptor thread would only add two thread switches to every new connection.
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
        // each loop accepts for itself: the one loop, or every loop on a socket of its own
        boolean selfAccepting = loops.length == 1 || (listenPerLoop && !bind.inherited());
        ServerSocketChannel[] own = new ServerSocketChannel[loops.length];
        try {
            bound = (InetSocketAddress) server.getLocalAddress();
            if (selfAccepting) {
                own[0] = server;
                // port 0 was resolved by the first bind: the others join that port
                Bind same = new Bind(bound, true);
                for (int i = 1; i < loops.length; i++) own[i] = Acceptor.listen(provider, same);
            }
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new EventLoop(ctx, Selectors.open(kind, provider), own[i], cork);
            }
        } catch (IOException | RuntimeException e) {
            Acceptor.closeQuietly(server);
            for (ServerSocketChannel s : own) if (s != null) Acceptor.closeQuietly(s);
            for (EventLoop l : loops) if (l != null) l.stop();
            throw e;
        }
        for (int i = 0; i < loops.length; i++) threads[i] = Thread.ofPlatform().name("tenk-loop-" + i).start(loops[i]);
        if (selfAccepting) return;
        acceptor = new Acceptor(server, this::handOff, ctx);
        if (loops[0].watchesDescriptors()) acceptor.takingWith(new Descriptors(ChannelFds.of(server)));
        // the loops drain once the acceptor has handed them the last queued connection
        acceptor.whenStopped(() -> { for (EventLoop l : loops) l.stop(); });
        acceptor.start("tenk-reactor-accept");
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

    /**
     * The acceptor's intake where the loops watch bare descriptors: {@code accept4} on the
     * listening socket's descriptor, each connection handed to the next loop as it comes.
     */
    private final class Descriptors implements Acceptor.Intake {
        private final int serverFd;

        Descriptors(int serverFd) { this.serverFd = serverFd; }

        @Override public boolean take() throws IOException {
            NativeSocket.Scratch s = NativeSocket.scratch();
            int fd = NativeSocket.acceptNext(s, serverFd);
            if (fd < 0) return false;
            nextLoop().submit(FdTransport.accepted(fd, s, cork != null));
            return true;
        }
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
