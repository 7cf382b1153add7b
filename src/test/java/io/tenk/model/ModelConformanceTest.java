package io.tenk.model;

import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
import io.tenk.support.AllModels;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.tenk.support.Bytes.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The same protocol behaviour from every model, over real sockets on port 0. Parameterised by
 * {@link Models#ALL}, so a model added later runs it too. {@code iterative} serves one connection
 * at a time: its concurrency tests assert that documented behaviour instead. The cases run side
 * by side (they mostly wait on sockets and timeouts); each asserts on its own connections and
 * its own lines of the access log, and a case that stops a server, or needs one no other case
 * connects to, has a server of its own. {@code process} starts
 * a JVM per connection and its children log to their own stdout: it skips the cases of
 * many connections and the one that reads the access log.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("conformance-statics") // its subclass shares its static state: never run beside it
@org.junit.jupiter.api.Order(5) // a long class, started early (junit-platform.properties)
class ModelConformanceTest {
    static final String SECRET = "TOP-SECRET-9c1d";
    /** Short header, body, idle and write timeouts, for the cases that test them. */
    static final Timeouts FAST = new Timeouts(Duration.ofMillis(700), Duration.ofMillis(700),
            Duration.ofMillis(900), Duration.ofMillis(800), Duration.ofSeconds(2));
    /** For the cases that test no timeout: long enough that a loaded machine never hits one. */
    static final Timeouts RELAXED = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(2));

    @TempDir static Path dir;
    static Path root;
    static byte[] big;
    /**
     * One server per model and timeouts, shared by the cases that need nothing else: {@link #RELAXED}
     * without an access log, {@link #FAST} with one (the stalled reader finds its cut-short
     * response there).
     */
    static final Map<String, FutureTask<TestServer>> SHARED = new ConcurrentHashMap<>();
    TestServer server;
    private TestServer own;

    /** Every model, {@code process} (a JVM per connection) included: its cases open few connections, or skip it. */
    static Stream<String> models() { return AllModels.every(); }

    @BeforeAll static void site() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("secret.txt"), SECRET);
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Files.writeString(root.resolve("b.txt"), "bravo!\n");
        Files.writeString(root.resolve(".env"), SECRET);
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
    }

    @AfterEach void stop() {
        if (own != null) own.close();
    }

    @AfterAll static void stopShared() throws InterruptedException {
        for (FutureTask<TestServer> s : SHARED.values()) {
            try {
                s.get().close();
            } catch (ExecutionException failedToStart) {
                // the case that started it reported the failure
            }
        }
        SHARED.clear();
    }

    /** The model's shared server with {@link #RELAXED} timeouts (started on first use). */
    TestServer start(String model) throws IOException {
        return shared(model, RELAXED);
    }

    /** The model's shared server with the given timeouts (started once, by the first case that asks). */
    TestServer shared(String model, Timeouts timeouts) throws IOException {
        String key = model + (timeouts == FAST ? " fast" : " relaxed");
        FutureTask<TestServer> start = new FutureTask<>(
                () -> TestServer.start(TestServer.config(root, model).with(b -> b.timeouts(timeouts).accessLog(timeouts == FAST))));
        FutureTask<TestServer> first = SHARED.putIfAbsent(key, start);
        if (first == null) {
            first = start;
            start.run();
        }
        TestServer s;
        try {
            s = first.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            throw new IOException("the shared " + key + " server did not start", e.getCause());
        }
        assertEquals(TestServer.modelOf(model), s.modelName());
        server = s;
        return s;
    }

    /** A server of this case's own, stopped after it. */
    TestServer start(ServerConfig config) throws IOException {
        own = TestServer.start(config);
        assertEquals(config.model().id(), own.modelName());
        server = own;
        return own;
    }

    /**
     * A client of this case's server, reading with a timeout of 5 s, or 30 s where a connection
     * starts a JVM first (on a loaded machine that alone can take seconds).
     */
    RawClient connect() throws IOException {
        return new RawClient(server.address(), AllModels.JVM_PER_CONNECTION.contains(server.modelName()) ? 30_000 : 5000);
    }

    static String get(String path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

    @ParameterizedTest @MethodSource("models")
    void keepAliveAndPipelining(String model) throws IOException {
        start(model);
        try (RawClient c = connect()) {
            assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
            assertEquals("bravo!\n", c.send(get("/b.txt")).read().bodyText());
            c.send(get("/b.txt") + get("/a.txt") + get("/nope") + get("/"));
            List<HttpReply> rs = c.read(4);
            assertEquals("bravo!\n", rs.get(0).bodyText());
            assertEquals("alpha\n", rs.get(1).bodyText());
            assertEquals(404, rs.get(2).status());
            assertEquals("<h1>home</h1>\n", rs.get(3).bodyText());
        }
    }

    @ParameterizedTest @MethodSource("models")
    void headAndRange(String model) throws IOException {
        start(model);
        try (RawClient c = connect()) {
            HttpReply head = c.send("HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals(big.length, head.contentLength());
            HttpReply part = c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=1000-1999\r\n\r\n").read();
            assertEquals(206, part.status());
            assertEquals("bytes 1000-1999/" + big.length, part.header("Content-Range"));
            assertArrayEquals(Arrays.copyOfRange(big, 1000, 2000), part.body());
            // the HEAD sent no body: the next answer on the connection is intact
            assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
        }
    }

    @ParameterizedTest @MethodSource("models")
    void largeFileArrivesIntact(String model) throws Exception {
        start(model);
        try (RawClient c = connect()) {
            // both requests at once: on a loaded machine, reading 3 MiB could outlast iterative's
            // short idle timeout before a second request went out
            c.send(get("/big.bin") + get("/a.txt"));
            HttpReply r = c.read();
            assertEquals(200, r.status());
            assertSameBytes(big, r.body());
            assertEquals("alpha\n", c.read().bodyText());
        }
    }

    @ParameterizedTest @MethodSource("models")
    void hostilePathsNeverLeak(String model) throws IOException {
        assumeFalse(AllModels.JVM_PER_CONNECTION.contains(model), "a JVM per path; the handler every model shares answers them");
        start(model);
        for (String path : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
                "/%c0%ae%c0%ae/secret.txt", "/.env", "/secret.txt%00.html")) {
            try (RawClient c = connect()) {
                HttpReply r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
                assertTrue(r.status() == 400 || r.status() == 403 || r.status() == 404, path + " → " + r.statusLine());
                assertFalse((r.rawHead() + r.bodyText()).contains(SECRET), path);
            }
        }
    }

    @ParameterizedTest @MethodSource("models")
    void unfinishedHeadGets408ThenClose(String model) throws IOException {
        shared(model, FAST);
        try (RawClient c = connect()) {
            String text = new String(c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n").readToEnd(), StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 408 Request Timeout\r\n"), text);
            assertTrue(text.contains("\r\nConnection: close\r\n"), text);
        }
    }

    @ParameterizedTest @MethodSource("models")
    void idleConnectionIsClosedSilently(String model) throws IOException {
        shared(model, FAST);
        // the idle timeout (900 ms) starts once the response is sent, after the request: measured
        // from the request it can never be shorter; the upper bound leaves room for a loaded machine
        try (RawClient c = new RawClient(server.address(), 30_000)) {
            long t0 = System.nanoTime();
            assertEquals(200, c.send(get("/a.txt")).read().status());
            assertArrayEquals(new byte[0], c.readToEnd());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms > 500 && ms < 25_000, "closed after " + ms + " ms");
        }
    }

    @ParameterizedTest @MethodSource("models")
    void stalledReaderIsCutOffByTheWriteTimeout(String model) throws Exception {
        assumeFalse(model.equals("process"), "process's children write their access lines to their own stdout, not to this log");
        shared(model, FAST); // write timeout 800 ms; the other cases on it never ask for /big.bin
        try (RawClient c = new RawClient(server.address(), 3000)) {
            // never read: the server's socket buffer fills and the responses stall
            c.send(get("/big.bin") + get("/big.bin") + get("/big.bin") + get("/big.bin"));
            // the server gives up after the write timeout and logs the response it was sending, cut short
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!loggedCutShort(server.accessLog())) {
                assertTrue(System.nanoTime() < deadline, "no stalled response was given up within 15 s:\n" + server.accessLog());
                Thread.sleep(20);
            }
            // reading drains what was buffered, then ends (EOF or reset)
            long t0 = System.nanoTime();
            long got = 0;
            byte[] buf = new byte[256 * 1024];
            try {
                int r;
                while ((r = c.socket().getInputStream().read(buf)) >= 0) {
                    got += r;
                    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "still sending after 5 s: " + got);
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the connection was not closed; got " + got, e);
            } catch (IOException e) {
                // a reset ends it too
            }
            assertTrue(got < 4L * big.length, "the stalled responses were cut short: " + got);
        }
    }

    @ParameterizedTest @MethodSource("models")
    void concurrentClients(String model) throws Exception {
        assumeFalse(AllModels.JVM_PER_CONNECTION.contains(model), "50 clients would start 50 JVMs at once");
        // the models with a thread per connection from a bounded set get a fresh server: no
        // connection of another case. Iterative's second client is served once the first idles
        // out (FAST); pool gets a thread for each of the client's connections (queueing behind
        // kept-alive connections until they idle out is PoolSaturationTest's subject, not this
        // one's). The others serve any number of connections at once: the shared server, whose
        // connections stay idle as long as the pooling client below may reuse one on a loaded
        // machine (RELAXED), or it races their idle timeout; it closes them once answered
        if (model.equals("iterative")) {
            start(TestServer.config(root, model).with(b -> b.timeouts(FAST).accessLog(false)));
            oneAtATime(); // the second client is served once the first idles out
            return;
        }
        if (model.equals("pool")) start(TestServer.config(root, model).with(b -> b.timeouts(RELAXED).accessLog(false).threads(64)));
        else start(model);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<byte[]>>> fs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fs.add(http.sendAsync(HttpRequest.newBuilder(server.uri(i % 5 == 0 ? "/big.bin" : "/a.txt")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (int i = 0; i < fs.size(); i++) {
                HttpResponse<byte[]> r = fs.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                if (i % 5 == 0) assertSameBytes(big, r.body());
                else assertEquals("alpha\n", new String(r.body(), StandardCharsets.UTF_8));
            }
        }
        // and two raw connections held open at once are both served
        try (RawClient a = server.connect(); RawClient b = server.connect()) {
            assertEquals(200, a.send(get("/a.txt")).read().status());
            assertEquals(200, b.send(get("/b.txt")).read().status());
            assertEquals(200, a.send(get("/b.txt")).read().status());
        }
    }

    /** iterative: a second client is served only once the first closes, or idles out. */
    private void oneAtATime() throws IOException {
        // b waits while a is open: its 300 ms wait ends long before a's idle timeout (900 ms, from a's
        // answer), unless this thread stalled that long on a loaded machine (then b's answer proves
        // nothing: try again)
        for (int attempt = 1; ; attempt++) {
            try (RawClient a = server.connect(); RawClient b = new RawClient(server.address(), 300)) {
                long asked = System.nanoTime(); // a's idle time starts after its answer, so never before this
                assertEquals(200, a.send(get("/a.txt")).read().status());
                b.send(get("/b.txt"));
                try {
                    b.read();
                } catch (IOException waited) {
                    break; // b waits while a is served
                }
                long ms = (System.nanoTime() - asked) / 1_000_000;
                assertTrue(ms >= 900, "b was served " + ms + " ms after a's request, with a open and not yet idle");
                assertTrue(attempt < 3, "this machine stalled past a's idle timeout " + attempt + " times");
            }
        }
        try (RawClient a = server.connect(); RawClient b = new RawClient(server.address(), 5000)) {
            long t0 = System.nanoTime(); // a's idle timeout (900 ms) starts after its response: b waits at least that
            assertEquals(200, a.send(get("/a.txt")).read().status());
            assertEquals("bravo!\n", b.send(get("/b.txt")).read().bodyText());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 500, "b was served after a idled out (" + ms + " ms)");
        }
    }

    @ParameterizedTest @MethodSource("models")
    void stopClosesIdleConnectionsAndFinishesQuickly(String model) throws Exception {
        // idle and shutdown timeouts far above the bound: stopping must close the idle connection at once
        start(TestServer.config(root, model).with(b -> b.accessLog(false).timeouts(new Timeouts(Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(15)))));
        try (RawClient c = connect()) {
            assertEquals(200, c.send(get("/a.txt")).read().status());
            long t0 = System.nanoTime();
            server.close();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 5000, "stopped in " + ms + " ms with an idle keep-alive connection open (shutdown timeout 15 s)");
            assertArrayEquals(new byte[0], c.readToEnd(), "the idle connection was closed");
            own = null;
        }
    }

    /** Whether the log has a response for /big.bin that ended before its last byte. */
    static boolean loggedCutShort(String log) {
        String prefix = "\"GET /big.bin HTTP/1.1\" 200 ";
        return log.lines().map(l -> l.indexOf(prefix) < 0 ? null : l.substring(l.indexOf(prefix) + prefix.length()))
                .filter(java.util.Objects::nonNull)
                .map(rest -> rest.substring(0, rest.indexOf(' ')))
                .anyMatch(bytes -> bytes.equals("-") || Long.parseLong(bytes) < big.length);
    }

}
