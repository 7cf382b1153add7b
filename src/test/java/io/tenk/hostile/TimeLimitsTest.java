package io.tenk.hostile;

import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
import io.tenk.support.AllModels;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.SideBySide;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Header, body, idle and write timeouts, and the connection limit, over real sockets, for every model. */
@org.junit.jupiter.api.Order(10) // a long class, started early (junit-platform.properties)
class TimeLimitsTest {
    @TempDir static Path dirs;

    private static final Duration SHORT = Duration.ofMillis(600);

    /**
     * Each case's models side by side, four at a time: each has its own server and folder, and
     * mostly waits for the server's timeout.
     */
    private static SideBySide<String> sideBySide(String name, Case scenario, String... except) {
        List<String> models = AllModels.hostile().filter(m -> !List.of(except).contains(m)).toList();
        return new SideBySide<>(models, 4, model -> scenario.run(model, Files.createDirectories(dirs.resolve(name).resolve(model.replace('/', '-')))));
    }

    /** A case's scenario for one model, in a folder of its own. */
    private interface Case {
        void run(String model, Path root) throws Exception;
    }

    private static final SideBySide<String> SLOW_HEADER = sideBySide("header", TimeLimitsTest::slowHeader);
    private static final SideBySide<String> STALLED_BODY = sideBySide("body", TimeLimitsTest::stalledBody);
    private static final SideBySide<String> IDLE = sideBySide("idle", TimeLimitsTest::idleKeepAlive);
    private static final SideBySide<String> SLOW_READER = sideBySide("write", TimeLimitsTest::slowReader);
    private static final SideBySide<String> MAX_CONNECTIONS = sideBySide("limit", TimeLimitsTest::pastMaxConnections, "iterative", "prefork");

    private static TestServer start(String model, Path root, Timeouts t) throws IOException {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        return TestServer.start(TestServer.config(root, t).with(b -> TestServer.model(b, model)));
    }

    private static Timeouts timeouts(Duration header, Duration body, Duration idle, Duration write) {
        return new Timeouts(header, body, idle, write, Duration.ofSeconds(1));
    }

    /** Reads until EOF and returns what came and how long it took from {@code since}. */
    private static String readUntilClosed(RawClient c) throws IOException {
        return new String(c.readToEnd(), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void slowHeaderGets408ThenClose(String model) throws Exception {
        SLOW_HEADER.await(model);
    }

    private static void slowHeader(String model, Path root) throws Exception {
        try (TestServer s = start(model, root, timeouts(SHORT, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20)));
             RawClient c = s.connect()) {
            long t0 = System.nanoTime();
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            Thread.sleep(200);
            c.send("a"); // progress within the head does not extend the header deadline
            String got = readUntilClosed(c);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(got.startsWith("HTTP/1.1 408 Request Timeout\r\n"), got);
            assertTrue(ms >= 500 && ms < 5000, "closed after " + ms + " ms");
            assertTrue(s.accessLog().contains("\" 408 "), s.accessLog());
        }
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void stalledBodyIsAbandoned(String model) throws Exception {
        STALLED_BODY.await(model);
    }

    private static void stalledBody(String model, Path root) throws Exception {
        try (TestServer s = start(model, root, timeouts(Duration.ofSeconds(20), SHORT, Duration.ofSeconds(20), Duration.ofSeconds(20)));
             RawClient c = s.connect()) {
            long t0 = System.nanoTime();
            // a small body the server would drain to keep the connection: it stalls half-way
            c.send("POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
            HttpReply r = c.read();
            assertEquals(405, r.status());
            String rest = readUntilClosed(c);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("", rest);
            assertTrue(ms >= 500 && ms < 5000, "closed after " + ms + " ms");
        }
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void idleKeepAliveIsClosed(String model) throws Exception {
        IDLE.await(model);
    }

    private static void idleKeepAlive(String model, Path root) throws Exception {
        try (TestServer s = start(model, root, timeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), SHORT, Duration.ofSeconds(20)));
             RawClient c = new RawClient(s.address(), 15_000)) {
            long t0 = System.nanoTime(); // the idle time starts after the response, so never before the request
            assertEquals(200, c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals("", readUntilClosed(c)); // closed silently, no 408 between requests
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 500 && ms < 5000, "closed after " + ms + " ms");
        }
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void slowReaderOfALargeFileIsClosedAndOthersAreServed(String model) throws Exception {
        SLOW_READER.await(model);
    }

    private static void slowReader(String model, Path root) throws Exception {
        Path big = root.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L << 20); // 50 MiB, sparse
        }
        try (TestServer s = start(model, root, timeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofMillis(800)));
             RawClient slow = new RawClient(s.address(), 15_000)) {
            slow.socket().setReceiveBufferSize(16 * 1024);
            slow.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            long t0 = System.nanoTime();
            Thread.sleep(300);
            // others are served meanwhile
            try (RawClient other = s.connect()) {
                assertEquals("alpha\n", other.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText());
            }
            // the server gives up after the write timeout and logs the response, cut short; then drain
            // what the kernel buffered: the server must have closed
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!s.accessLog().contains("\"GET /big.bin HTTP/1.1\" 200 ") && System.nanoTime() < deadline) Thread.sleep(20);
            InputStream in = slow.socket().getInputStream();
            long got = 0;
            byte[] buf = new byte[1 << 16];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) got += n;
            } catch (java.net.SocketTimeoutException stuck) {
                throw new AssertionError("the server neither finished nor closed the connection", stuck);
            } catch (IOException reset) {
                // a reset is a close too
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(got < (50L << 20), "the whole file arrived: the server never gave up");
            assertTrue(ms < 14_000, "took " + ms + " ms");
            assertTrue(s.accessLog().contains("\"GET /big.bin HTTP/1.1\" 200 "), s.accessLog());
            try (RawClient after = s.connect()) {
                assertEquals(200, after.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
        }
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void pastMaxConnectionsNewOnesGet503AndClose(String model) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(model.equals("iterative"),
                "iterative accepts the next connection only when the current one ends: it never holds several");
        org.junit.jupiter.api.Assumptions.assumeFalse(model.equals("prefork"),
                "prefork applies --max-connections in each worker, as nginx's worker_connections (README)");
        MAX_CONNECTIONS.await(model);
    }

    private static void pastMaxConnections(String model, Path root) throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        ServerConfig cfg = TestServer.config(root).with(b -> TestServer.model(b, model).maxConnections(3));
        try (TestServer s = TestServer.start(cfg)) {
            RawClient[] held = new RawClient[3];
            for (int i = 0; i < 3; i++) {
                held[i] = s.connect();
                assertEquals(200, held[i].send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            for (int i = 0; i < 5; i++) {
                try (RawClient extra = s.connect()) {
                    extra.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                    HttpReply r = extra.read();
                    assertEquals(503, r.status());
                    assertEquals("close", r.header("Connection"));
                    assertEquals("", readUntilClosed(extra));
                }
            }
            // the held connections still work
            assertEquals(200, held[0].send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            held[0].close();
            held[1].close();
            // a freed slot is reused
            long deadline = System.nanoTime() + 3_000_000_000L;
            int status;
            do {
                try (RawClient again = s.connect()) {
                    status = again.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status();
                }
            } while (status != 200 && System.nanoTime() < deadline);
            assertEquals(200, status);
            held[2].close();
            String errors = s.errorLog();
            assertTrue(errors.lines().filter(l -> l.contains("connection limit")).count() <= 2, errors);
            assertTrue(s.accessLog().lines().filter(l -> l.contains("\"-\" 503 ")).count() >= 5, s.accessLog());
        }
    }
}
