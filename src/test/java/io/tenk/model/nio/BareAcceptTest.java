package io.tenk.model.nio;

import io.tenk.config.Timeouts;
import io.tenk.config.ModelKind;
import io.tenk.config.SelectorKind;
import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.handler.StaticFileHandler;
import io.tenk.http.Limits;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Metrics;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loop on a level-triggered or one-shot epoll set accepts connections as bare descriptors
 * ({@code accept4}), and serves them as it serves JDK channels: keep-alive, a file by sendfile, the
 * peer's address in the access log; a connection over the limit is accepted as a JDK channel and
 * answered 503 by the refuser; a closed connection's slot comes back. Several loops accept bare
 * descriptors from the one listening socket.
 */
class BareAcceptTest {
    @TempDir Path root;

    @Test void levelTriggered() throws Exception { serves(EpollReadiness.Mode.LEVEL); }

    @Test void oneShot() throws Exception { serves(EpollReadiness.Mode.ONESHOT); }

    /**
     * With several loops on epoll each loop accepts from the one socket, as bare descriptors too;
     * on the JDK's Selector an acceptor thread hands the loops JDK channels. Seen from the server's
     * socket: a bare descriptor gets TCP_NODELAY before its second write, a JDK channel when it is
     * accepted.
     */
    @Test void severalLoopsTakeBareDescriptors() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        assertEquals(List.of(0, 1), noDelayAfterOneResponseAndTwo(SelectorKind.EPOLL_LT));
        assertEquals(List.of(1, 1), noDelayAfterOneResponseAndTwo(SelectorKind.EPOLL), "the JDK's channels: set at accept");
    }

    private List<Integer> noDelayAfterOneResponseAndTwo(SelectorKind kind) throws Exception {
        try (TestServer server = TestServer.start(TestServer.config(root).with(b -> b.model(ModelKind.REACTOR).threads(2).selector(kind)));
             RawClient c = server.connect()) {
            String get = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
            assertEquals(200, c.send(get).read().status());
            int fd = serverSide(server.address().getPort(), c.socket().getLocalPort());
            int first = FdTransportTest.tcpOption(fd, NativeSocket.TCP_NODELAY);
            assertEquals(200, c.send(get).read().status());
            return List.of(first, FdTransportTest.tcpOption(fd, NativeSocket.TCP_NODELAY));
        }
    }

    /** This process's descriptor of the server's end of the connection from {@code clientPort}: by its inode in /proc. */
    private static int serverSide(int serverPort, int clientPort) throws IOException {
        String inode = null;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[1].contains(":")) continue;
                int local = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                int remote = Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16);
                if (local == serverPort && remote == clientPort) inode = f[9];
            }
        }
        assertTrue(inode != null, "the server's socket is listed");
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("socket:[" + inode + "]")) return Integer.parseInt(fd.getFileName().toString());
                } catch (IOException gone) {
                    // closed while listed
                }
            }
        }
        throw new AssertionError("no descriptor of this process holds socket " + inode);
    }

    private void serves(EpollReadiness.Mode mode) throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        Files.write(root.resolve("big.bin"), big);
        ByteArrayOutputStream access = new ByteArrayOutputStream();
        ConnectionLimiter limit = new ConnectionLimiter(1);
        Timeouts t = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Timeouts.DEFAULT_MIN_WRITE_RATE);
        ServerContext ctx = new ServerContext(new StaticFileHandler(root), new Limits(8192, 16384, 100), t, 64 * 1024,
                AccessLog.to(new PrintStream(access, true, StandardCharsets.UTF_8)),
                new ErrorLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false),
                limit, (what, cause) -> { throw new AssertionError(what, cause); }, Metrics.disabled());
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        EpollReadiness readiness = new EpollReadiness(mode);
        assertTrue(readiness.watchesDescriptors(), "this JVM lets tenk use bare descriptors (the tests' options)");
        EventLoop loop = new EventLoop(ctx, readiness, server, TcpCork.INSTANCE);
        Thread thread = Thread.ofPlatform().name("bare-test").start(loop);
        InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
        try {
            try (RawClient c = new RawClient(at, 10_000)) {
                HttpReply a = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, a.status());
                assertEquals("alpha\n", a.bodyText());
                HttpReply b = c.read();
                assertEquals(200, b.status());
                assertEquals(big.length, b.body().length);
                assertEquals(java.util.Arrays.hashCode(big), java.util.Arrays.hashCode(b.body()), "the file by sendfile, whole");
                try (RawClient over = new RawClient(at, 10_000)) {
                    HttpReply refused = over.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
                    assertEquals(503, refused.status(), "over the limit of one connection");
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (limit.open() != 0) {
                assertTrue(System.nanoTime() < deadline, "the closed connection's slot comes back");
                Thread.onSpinWait();
            }
            try (RawClient again = new RawClient(at, 10_000)) {
                assertEquals(200, again.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().status());
                assertEquals(0, again.readToEnd().length, "closed after Connection: close");
            }
        } finally {
            loop.stop();
            thread.join();
        }
        ctx.accessLog().flush();
        String log = access.toString(StandardCharsets.UTF_8);
        assertTrue(log.startsWith("127.0.0.1 "), log);
        assertTrue(log.contains("\"GET /big.bin HTTP/1.1\" 200 300000"), log);
        assertTrue(log.contains(" 503 "), log);
    }
}
