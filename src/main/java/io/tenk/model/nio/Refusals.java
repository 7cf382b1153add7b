package io.tenk.model.nio;

import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.observe.LogThrottle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;

/**
 * Connections refused because {@code --max-connections} are open: each gets a 503 and is closed.
 * So that the 503 is not lost to a reset (closing a socket with unread request bytes sends RST),
 * a refused socket is half-closed and its input discarded for up to a second before the close;
 * at most {@link #MAX_LINGERING} are held that way, any more are closed at once.
 */
final class Refusals {
    static final int MAX_LINGERING = 64;
    private static final long LINGER_NANOS = 1_000_000_000L;

    private record Lingering(SocketChannel ch, long deadline) {}

    private final ServerContext ctx;
    private final ArrayList<Lingering> lingering = new ArrayList<>();
    private final ByteBuffer sink = ByteBuffer.allocate(4096);
    private final LogThrottle log = new LogThrottle(LogThrottle.ONE_SECOND);

    Refusals(ServerContext ctx) { this.ctx = ctx; }

    /** Answers 503 on a freshly accepted connection that got no slot, and closes it (soon). */
    void refuse(SocketChannel ch, long now) {
        String remote = "-";
        int sent = 0;
        try {
            ch.configureBlocking(false);
            if (ch.getRemoteAddress() instanceof InetSocketAddress a) remote = a.getAddress().getHostAddress();
            ByteBuffer r = ConnectionLimiter.rejection();
            sent = ch.write(r);
            ch.shutdownOutput();
        } catch (IOException e) {
            close(ch);
            return;
        }
        ctx.accessLog().log(remote, null, 503, 0, null, null);
        if (log.allow(now)) {
            ctx.errorLog().warn("connection limit (" + ctx.connections().max() + ") reached: refusing new connections with 503");
        }
        if (sent > 0 && lingering.size() < MAX_LINGERING) lingering.add(new Lingering(ch, now + LINGER_NANOS));
        else close(ch);
    }

    /** Discards what refused clients sent; closes those that finished or whose time is up. */
    void tick(long now) {
        for (int i = lingering.size() - 1; i >= 0; i--) {
            Lingering l = lingering.get(i);
            boolean done = now - l.deadline() >= 0;
            if (!done) {
                try {
                    int n;
                    do { sink.clear(); n = l.ch().read(sink); } while (n > 0);
                    done = n < 0;
                } catch (IOException e) {
                    done = true;
                }
            }
            if (done) {
                close(l.ch());
                lingering.set(i, lingering.getLast());
                lingering.removeLast();
            }
        }
    }

    void closeAll() {
        for (Lingering l : lingering) close(l.ch());
        lingering.clear();
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
