package io.tenk.model.nio;

import io.tenk.config.Timeouts;
import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.handler.StaticFileHandler;
import io.tenk.http.Limits;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Metrics;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.transport.SocketTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Edge triggering reports input once, when it arrives: a connection that reads part of it and
 * waits for the next report waits for ever (here: until the header timeout's 408). Each transport
 * below takes at most 64 bytes a read, so a 300-byte request head needs several reads after one
 * report. tenk's edge-triggered transport keeps reading until the socket is empty; a naive one
 * (the plain socket transport) stalls under EPOLLET, and is fine under level triggering.
 */
class EdgeTriggeredTest {
    private static final int CAP = 64;
    private static final String REQUEST = "GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(240) + "\r\n\r\n";

    @TempDir static Path root;
    static ServerContext ctx;

    @BeforeAll static void site() throws IOException {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Timeouts t = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Timeouts.DEFAULT_MIN_WRITE_RATE);
        ctx = new ServerContext(new StaticFileHandler(root), new Limits(8192, 16384, 100), t, 64 * 1024, AccessLog.disabled(),
                new ErrorLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false),
                new ConnectionLimiter(100), (what, cause) -> { throw new AssertionError(what, cause); }, Metrics.disabled());
    }

    @AfterAll static void done() { ctx = null; }

    /** A plain socket transport that reads at most {@link #CAP} bytes a call, and says nothing of what is left. */
    static final class NaiveTransport extends SocketTransport {
        NaiveTransport(SocketChannel ch) { super(ch); }

        @Override public int read(ByteBuffer dst) throws IOException { return capped(dst, super::read); }
    }

    /** tenk's edge-triggered transport, reading at most {@link #CAP} bytes a call. */
    static final class CappedEdgeTransport extends EdgeTriggeredTransport {
        CappedEdgeTransport(SocketChannel ch) { super(ch); }

        @Override public int read(ByteBuffer dst) throws IOException { return capped(dst, super::read); }
    }

    interface Read { int read(ByteBuffer b) throws IOException; }

    static int capped(ByteBuffer dst, Read read) throws IOException {
        int limit = dst.limit();
        dst.limit(Math.min(limit, dst.position() + CAP));
        try {
            return read.read(dst);
        } finally {
            dst.limit(limit);
        }
    }

    /** The status of the answer to {@link #REQUEST} from a loop on epoll in {@code mode} with these transports. */
    static int statusWith(EpollReadiness.Mode mode, Function<SocketChannel, SocketTransport> transports) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        EventLoop loop = new EventLoop(ctx, new EpollReadiness(mode, transports), server, null);
        Thread thread = Thread.ofPlatform().name("edge-test").start(loop);
        try (RawClient c = new RawClient((InetSocketAddress) server.getLocalAddress(), 10_000)) {
            HttpReply r = c.send(REQUEST).read();
            return r.status();
        } finally {
            loop.stop();
            thread.join();
        }
    }

    @Test void naiveTransportStallsUnderEdgeTriggering() throws Exception {
        assertEquals(408, statusWith(EpollReadiness.Mode.EDGE, NaiveTransport::new),
                "the rest of the head waited for an edge that never came, until the header timeout");
    }

    @Test void edgeTriggeredTransportReadsUntilEmpty() throws Exception {
        assertEquals(200, statusWith(EpollReadiness.Mode.EDGE, CappedEdgeTransport::new));
    }

    @Test void naiveTransportIsFineUnderLevelTriggering() throws Exception {
        assertEquals(200, statusWith(EpollReadiness.Mode.LEVEL, NaiveTransport::new));
    }
}
