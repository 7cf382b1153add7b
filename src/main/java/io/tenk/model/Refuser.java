package io.tenk.model;

import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.observe.LogThrottle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers the connections a model will not serve (over {@code --max-connections}, or a full pool
 * queue) with a 503, for every model, with a bounded cost. The caller's thread writes the 503
 * without blocking (a fresh socket's send buffer takes it whole) and half-closes. So that the
 * close does not reset the connection before the client has read the answer (closing a socket
 * with unread request bytes sends RST), the socket then lingers: one thread reads and drops
 * what the client still sends until it closes, for at most a second. At most
 * {@link #MAX_LINGERING} sockets linger at once; any more are closed at once, so a burst of
 * refused connections costs at most that many descriptors, whatever its size.
 *
 * <p>The lingering thread (with its Selector) starts at the first refusal; {@link #close()}
 * ends it and closes what lingers.
 */
public final class Refuser implements AutoCloseable {
    /** The most refused sockets held open at once, lingering for the client to read its 503. */
    public static final int MAX_LINGERING = 64;
    private static final long LINGER_NANOS = 1_000_000_000L;
    private static final int LINGER_BYTES = 64 * 1024;

    private final ServerContext ctx;
    private final AtomicInteger held = new AtomicInteger(); // queued for the thread or lingering
    private final ConcurrentLinkedQueue<SocketChannel> queue = new ConcurrentLinkedQueue<>();
    private final LogThrottle log = new LogThrottle(LogThrottle.ONE_SECOND);
    private Selector selector;     // guarded by this until started; then the thread's
    private Thread thread;
    private volatile boolean closed;

    // the lingering thread's own
    private final ByteBuffer sink = ByteBuffer.allocate(4096);

    /** What a lingering socket still may cost. */
    private static final class Linger {
        final long deadline;
        int bytes;

        Linger(long deadline) { this.deadline = deadline; }
    }

    public Refuser(ServerContext ctx) { this.ctx = ctx; }

    /** Refuses a connection over {@code --max-connections} (any thread; never blocks). */
    public void refuse(SocketChannel ch) {
        refuse(ch, null);
    }

    /**
     * Refuses {@code ch} (any thread; never blocks): one access-log line (status 503) per refusal,
     * and at most one error-log line per second, saying {@code why} (null: the connection limit).
     */
    public void refuse(SocketChannel ch, String why) {
        ctx.connections().refused();
        warn(why);
        String remote = "-";
        try {
            ch.configureBlocking(false);
            if (ch.getRemoteAddress() instanceof InetSocketAddress a) remote = a.getAddress().getHostAddress();
            ByteBuffer out = ConnectionLimiter.rejection();
            int head = headLength(out);
            int size = out.remaining();
            int sent = ch.write(out);
            ctx.accessLog().log(remote, null, 503, Math.max(0, sent - head), null, null);
            if (sent < size) { // cannot happen on a fresh socket; were it to, a cut 503 is no answer
                Acceptor.closeQuietly(ch);
                return;
            }
            ch.shutdownOutput();
        } catch (IOException e) {
            Acceptor.closeQuietly(ch); // the client left already
            return;
        }
        if (held.incrementAndGet() > MAX_LINGERING || !started()) {
            held.decrementAndGet();
            Acceptor.closeQuietly(ch); // the 503 is sent; without lingering a client still sending may see a reset
            return;
        }
        queue.add(ch);
        selector.wakeup();
        if (closed) drainQueue();
    }

    private void warn(String why) {
        if (!log.allow()) return;
        String reason = why != null ? why : "connection limit (" + ctx.connections().max() + ") reached";
        ctx.errorLog().warn(reason + ": refusing new connections with 503");
    }

    /** Starts the lingering thread once; false when closed or when it cannot start (no descriptors). */
    private synchronized boolean started() {
        if (closed) return false;
        if (thread != null) return true;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            return false;
        }
        thread = Thread.ofPlatform().daemon().name("tenk-refuser").start(this::run);
        return true;
    }

    private void run() {
        try {
            while (!closed) {
                long now = System.nanoTime();
                long next = expire(now);
                long wait = next == Long.MAX_VALUE ? 0 : Math.max(1, (next - now + 999_999) / 1_000_000);
                selector.select(this::readable, wait);
                SocketChannel ch;
                while ((ch = queue.poll()) != null) {
                    try {
                        ch.register(selector, SelectionKey.OP_READ, new Linger(System.nanoTime() + LINGER_NANOS));
                    } catch (IOException e) {
                        done(ch);
                    }
                }
            }
        } catch (Throwable t) {
            ctx.fatal().failed("refuser", t);
        } finally {
            for (SelectionKey k : selector.keys()) done((SocketChannel) k.channel());
            drainQueue();
            Acceptor.closeQuietly(selector);
        }
    }

    /** Reads and drops what a refused client sent; closes it at its end of stream or past its budget. */
    private void readable(SelectionKey key) {
        SocketChannel ch = (SocketChannel) key.channel();
        Linger l = (Linger) key.attachment();
        try {
            int n;
            do {
                sink.clear();
                n = ch.read(sink);
                if (n > 0) l.bytes += n;
            } while (n > 0 && l.bytes < LINGER_BYTES);
            if (n < 0 || l.bytes >= LINGER_BYTES) done(ch);
        } catch (IOException e) {
            done(ch);
        }
    }

    /** Closes the sockets whose second is up; returns the earliest deadline left (MAX_VALUE: none). */
    private long expire(long now) {
        long next = now + LINGER_NANOS;
        boolean any = false;
        for (SelectionKey k : selector.keys()) {
            if (!k.isValid()) continue;
            Linger l = (Linger) k.attachment();
            if (now - l.deadline >= 0) {
                done((SocketChannel) k.channel());
            } else if (l.deadline - next < 0 || !any) {
                any = true;
                next = l.deadline;
            }
        }
        return any ? next : Long.MAX_VALUE;
    }

    private void done(SocketChannel ch) {
        Acceptor.closeQuietly(ch); // also cancels its key
        held.decrementAndGet();
    }

    private void drainQueue() {
        SocketChannel ch;
        while ((ch = queue.poll()) != null) done(ch);
    }

    /** Ends the lingering thread and closes every socket it holds. Safe from any thread, more than once. */
    @Override public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) selector.wakeup();
    }

    /** Where the head of an encoded response ends (after its blank line). */
    private static int headLength(ByteBuffer b) {
        for (int i = b.position(); i + 3 < b.limit(); i++) {
            if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') return i + 4 - b.position();
        }
        return b.remaining();
    }
}
