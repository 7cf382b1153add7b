package io.tenk.model;

import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same protocol behaviour from every model, over real sockets on port 0. Parameterised by
 * {@link Models#ALL}, so a model added later runs it too. {@code iterative} serves one connection
 * at a time: its concurrency tests assert that documented behaviour instead.
 */
class ModelConformanceTest {
    static final String SECRET = "TOP-SECRET-9c1d";
    static final Timeouts FAST = new Timeouts(Duration.ofMillis(700), Duration.ofMillis(700),
            Duration.ofMillis(900), Duration.ofSeconds(5), Duration.ofSeconds(2));

    @TempDir Path dir;
    Path root;
    byte[] big;
    TestServer server;

    static Stream<String> models() { return TestServer.modelNames(); }

    @BeforeEach void site() throws IOException {
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
        if (server != null) server.close();
    }

    TestServer start(String model) throws IOException {
        return start(TestServer.config(root, model).withTimeouts(FAST).withAccessLog(false));
    }

    TestServer start(ServerConfig config) throws IOException {
        server = TestServer.start(config);
        assertEquals(config.model(), server.modelName());
        return server;
    }

    static String get(String path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

    @ParameterizedTest @MethodSource("models")
    void keepAliveAndPipelining(String model) throws IOException {
        start(model);
        try (RawClient c = server.connect()) {
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
        try (RawClient c = server.connect()) {
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
        try (RawClient c = server.connect()) {
            HttpReply r = c.send(get("/big.bin")).read();
            assertEquals(200, r.status());
            assertArrayEquals(sha(big), sha(r.body()));
            assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
        }
    }

    @ParameterizedTest @MethodSource("models")
    void hostilePathsNeverLeak(String model) throws IOException {
        start(model);
        for (String path : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
                "/%c0%ae%c0%ae/secret.txt", "/.env", "/secret.txt%00.html")) {
            try (RawClient c = server.connect()) {
                HttpReply r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
                assertTrue(r.status() == 400 || r.status() == 403 || r.status() == 404, path + " → " + r.statusLine());
                assertFalse((r.rawHead() + r.bodyText()).contains(SECRET), path);
            }
        }
    }

    @ParameterizedTest @MethodSource("models")
    void unfinishedHeadGets408ThenClose(String model) throws IOException {
        start(model);
        try (RawClient c = server.connect()) {
            String text = new String(c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n").readToEnd(), StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 408 Request Timeout\r\n"), text);
            assertTrue(text.contains("\r\nConnection: close\r\n"), text);
        }
    }

    @ParameterizedTest @MethodSource("models")
    void idleConnectionIsClosedSilently(String model) throws IOException {
        start(model);
        try (RawClient c = server.connect()) {
            assertEquals(200, c.send(get("/a.txt")).read().status());
            long t0 = System.nanoTime();
            assertArrayEquals(new byte[0], c.readToEnd());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms > 500 && ms < 3000, "closed after " + ms + " ms");
        }
    }

    @ParameterizedTest @MethodSource("models")
    void stalledReaderIsCutOffByTheWriteTimeout(String model) throws Exception {
        start(TestServer.config(root, model).withAccessLog(false).withTimeouts(new Timeouts(Duration.ofMillis(700),
                Duration.ofMillis(700), Duration.ofMillis(900), Duration.ofMillis(800), Duration.ofSeconds(2))));
        try (RawClient c = new RawClient(server.address(), 3000)) {
            // never read: the server's socket buffer fills and the responses stall
            c.send(get("/big.bin") + get("/big.bin") + get("/big.bin") + get("/big.bin"));
            Thread.sleep(2500);
            // by now the server gave up: reading drains what was buffered, then ends (EOF or reset)
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
        start(model);
        if (model.equals("iterative")) {
            oneAtATime();
            return;
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<byte[]>>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(http.sendAsync(HttpRequest.newBuilder(server.uri(i % 5 == 0 ? "/big.bin" : "/a.txt")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < fs.size(); i++) {
            HttpResponse<byte[]> r = fs.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            if (i % 5 == 0) assertArrayEquals(sha(big), sha(r.body()));
            else assertEquals("alpha\n", new String(r.body(), StandardCharsets.UTF_8));
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
        try (RawClient a = server.connect(); RawClient b = new RawClient(server.address(), 300)) {
            assertEquals(200, a.send(get("/a.txt")).read().status());
            b.send(get("/b.txt"));
            assertThrows(IOException.class, b::read, "b waits while a is served");
            a.close();
        }
        try (RawClient a = server.connect(); RawClient b = new RawClient(server.address(), 5000)) {
            assertEquals(200, a.send(get("/a.txt")).read().status());
            long t0 = System.nanoTime();
            assertEquals("bravo!\n", b.send(get("/b.txt")).read().bodyText());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 500, "b was served after a idled out (" + ms + " ms)");
        }
    }

    @ParameterizedTest @MethodSource("models")
    void stopClosesIdleConnectionsAndFinishesQuickly(String model) throws Exception {
        start(model);
        try (RawClient c = new RawClient(server.address(), 5000)) {
            assertEquals(200, c.send(get("/a.txt")).read().status());
            long t0 = System.nanoTime();
            server.close();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1500, "stopped in " + ms + " ms with an idle keep-alive connection open");
            assertArrayEquals(new byte[0], c.readToEnd(), "the idle connection was closed");
            server = null;
        }
    }

    static byte[] sha(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }
}
