package io.tenk.observe;

import io.tenk.TenkServer;
import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.support.Await;
import io.tenk.support.Promtool;
import io.tenk.support.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin listener of a real server: /metrics counts what the site served and passes
 * {@code promtool check metrics}; /healthz and /readyz; nothing else is served there.
 */
class AdminListenerTest {
    @TempDir static Path dir;
    static TenkServer server;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.write(root.resolve("small.txt"), "x".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        ServerConfig c = ServerConfig.defaults(root).with(b -> b.port(0)
                .observe(io.tenk.config.ObserveOptions.NONE.withAdmin(new Listen("127.0.0.1", 0))));
        server = TenkServer.start(c, AccessLog.disabled(), new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false));
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
    }

    static HttpResponse<String> get(InetSocketAddress at, String path) throws Exception {
        return send(at, HttpRequest.newBuilder(uri(at, path)).timeout(Duration.ofSeconds(10)).build());
    }

    static HttpResponse<String> send(InetSocketAddress at, HttpRequest req) throws Exception {
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(InetSocketAddress at, String path) {
        return URI.create("http://127.0.0.1:" + at.getPort() + path);
    }

    /** The value of the sample {@code series} (name and labels exactly as written), or -1 when absent. */
    static double sample(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test void metricsCountWhatTheSiteServed() throws Exception {
        InetSocketAddress admin = server.adminAddress();
        String before = get(admin, "/metrics").body();
        assertEquals(200, get(server.address(), "/small.txt").statusCode());
        assertEquals(200, get(server.address(), "/small.txt").statusCode());
        assertEquals(404, get(server.address(), "/missing").statusCode());
        assertEquals(200, send(server.address(), HttpRequest.newBuilder(uri(server.address(), "/small.txt"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        // a loop counts an exchange once its response is written, which the client may have read
        // first: read the metrics until all four are counted (at most 10 s)
        AtomicReference<HttpResponse<String>> scraped = new AtomicReference<>();
        Await.until(() -> {
            scraped.set(get(admin, "/metrics"));
            return delta(before, scraped.get().body(), "tenk_http_request_duration_seconds_count") >= 4;
        }, Duration.ofSeconds(10), "the four exchanges counted in /metrics");
        HttpResponse<String> r = scraped.get();
        assertEquals(200, r.statusCode());
        assertEquals(MetricsText.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElseThrow());
        String after = r.body();
        assertEquals(2, delta(before, after, "tenk_http_requests_total{method=\"GET\",code=\"2xx\"}"));
        assertEquals(1, delta(before, after, "tenk_http_requests_total{method=\"GET\",code=\"4xx\"}"));
        assertEquals(1, sample(after, "tenk_http_requests_total{method=\"HEAD\",code=\"2xx\"}")
                - Math.max(0, sample(before, "tenk_http_requests_total{method=\"HEAD\",code=\"2xx\"}")));
        double bytes = delta(before, after, "tenk_http_response_bytes_total");
        assertTrue(bytes >= 2000 && bytes < 3000, "2 x 1000 bytes and a 404 page: " + bytes);
        assertEquals(4, delta(before, after, "tenk_http_request_duration_seconds_count"));
        assertEquals(4, delta(before, after, "tenk_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
        double sum = delta(before, after, "tenk_http_request_duration_seconds_sum");
        assertTrue(sum >= 0 && sum < 30, "duration sum " + sum);
        assertTrue(delta(before, after, "tenk_cache_hits_total{cache=\"files\"}") >= 1, after);
        assertEquals(1, sample(after, "tenk_info{version=\"" + TenkServer.version() + "\",model=\"reactor\"}"));
        assertEquals(1, sample(after, "tenk_ready"));
        assertTrue(sample(after, "jvm_memory_used_bytes{area=\"heap\"}") > 0);
        assertTrue(after.contains("# TYPE jvm_gc_collections_total counter"));
        promtool(after);
    }

    static double delta(String before, String after, String series) {
        double b = sample(before, series), a = sample(after, series);
        assertTrue(b >= 0 && a >= 0, series + " missing");
        return a - b;
    }

    /** {@code promtool check metrics} (the Debian package prometheus) accepts the text, lint included. */
    static void promtool(String text) throws Exception {
        Promtool.check(text);
    }

    @Test void timeoutsAreCountedByKind() throws Exception {
        Path root = Files.createDirectories(dir.resolve("timeouts"));
        Files.writeString(root.resolve("a.txt"), "a\n");
        Duration short_ = Duration.ofMillis(300), long_ = Duration.ofSeconds(30);
        ServerConfig c = ServerConfig.defaults(root).with(b -> b.port(0)
                .timeouts(new io.tenk.config.Timeouts(short_, long_, short_, long_, Duration.ofSeconds(1)))
                .observe(io.tenk.config.ObserveOptions.NONE.withAdmin(new Listen("127.0.0.1", 0))));
        try (TenkServer s = TenkServer.start(c, AccessLog.disabled(), new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false))) {
            String before = get(s.adminAddress(), "/metrics").body();
            try (RawClient half = new RawClient(s.address(), 10_000)) {
                half.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n"); // the head never ends: 408, then closed
                assertEquals(408, half.read().status());
            }
            try (RawClient idle = new RawClient(s.address(), 10_000)) {
                assertEquals(200, idle.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                assertEquals(0, idle.readToEnd().length); // kept alive, then closed when idle too long
            }
            String after = get(s.adminAddress(), "/metrics").body();
            assertEquals(1, delta(before, after, "tenk_timeouts_total{kind=\"header\"}"), after);
            assertEquals(1, delta(before, after, "tenk_timeouts_total{kind=\"idle\"}"), after);
            assertEquals(0, delta(before, after, "tenk_timeouts_total{kind=\"write\"}"), after);
            promtool(after);
        }
    }

    @Test void ruleMatchesAreCountedByAction() throws Exception {
        Path root = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(root.resolve("new.txt"), "new\n");
        Path toml = Files.writeString(dir.resolve("rules.toml"), """
                [server]
                listen = ["127.0.0.1:0"]
                [admin]
                listen = "127.0.0.1:0"
                [[site]]
                names = ["*"]
                root = "rules"
                [[site.rule]]
                deny = '^/private/'
                [[site.rule]]
                rewrite = '^/old\\.txt$'
                to = '/new.txt'
                """);
        ServerConfig c = io.tenk.config.ConfigFile.load(toml, ServerConfig.defaults(dir));
        try (TenkServer s = TenkServer.start(c, AccessLog.disabled(), new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false))) {
            String before = get(s.adminAddress(), "/metrics").body();
            assertEquals(403, get(s.address(), "/private/x").statusCode());
            assertEquals("new\n", get(s.address(), "/old.txt").body());
            assertEquals(404, get(s.address(), "/missing.txt").statusCode()); // no rule decided it
            String after = get(s.adminAddress(), "/metrics").body();
            // the counts are the process's: other tests' servers may add to them meanwhile
            assertTrue(delta(before, after, "tenk_rule_matches_total{action=\"deny\"}") >= 1, after);
            assertTrue(delta(before, after, "tenk_rule_matches_total{action=\"rewrite\"}") >= 1, after);
            promtool(after);
        }
    }

    @Test void healthAndReadiness() throws Exception {
        InetSocketAddress admin = server.adminAddress();
        HttpResponse<String> h = get(admin, "/healthz");
        assertEquals(200, h.statusCode());
        assertEquals("ok\n", h.body());
        assertEquals(200, get(admin, "/readyz").statusCode());
    }

    @Test void readyzIs503AfterAFailedReloadUntilAGoodOne() throws Exception {
        InetSocketAddress admin = server.adminAddress();
        String before = get(admin, "/metrics").body();
        server.reloadFailed();
        HttpResponse<String> r = get(admin, "/readyz");
        assertEquals(503, r.statusCode());
        assertEquals("last reload failed\n", r.body());
        assertEquals(200, get(admin, "/healthz").statusCode(), "alive all the same");
        server.reload(ServerConfig.defaults(dir.resolve("site")).with(b -> b.port(0)));
        assertEquals(200, get(admin, "/readyz").statusCode());
        String after = get(admin, "/metrics").body();
        assertEquals(1, delta(before, after, "tenk_reloads_total{result=\"failure\"}"));
        assertEquals(1, delta(before, after, "tenk_reloads_total{result=\"success\"}"));
    }

    @Test void onlyGetAndHeadOfTheThreePaths() throws Exception {
        InetSocketAddress admin = server.adminAddress();
        assertEquals(404, get(admin, "/small.txt").statusCode(), "never the site's files");
        assertEquals(404, get(admin, "/").statusCode());
        assertEquals(404, get(admin, "/metrics/").statusCode());
        HttpResponse<String> post = send(admin, HttpRequest.newBuilder(uri(admin, "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        try (RawClient c = new RawClient(admin)) {
            c.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            String all = new String(c.readToEnd(), StandardCharsets.ISO_8859_1);
            assertTrue(all.startsWith("HTTP/1.1 200 OK\r\n"), all);
            assertTrue(all.contains("Content-Length: 3\r\n"), all);
            assertTrue(all.contains("Connection: close\r\n"), all);
            assertTrue(all.endsWith("\r\n\r\n"), "no body for HEAD: " + all);
        }
        try (RawClient c = new RawClient(admin)) {
            c.send("GET /metrics HTTP/1.1\r\n\r\n"); // no Host: the strict parser's 400
            assertTrue(new String(c.readToEnd(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 400 "));
        }
    }

    /**
     * A server with room for one connection: a second is refused and counted; once stopping,
     * /readyz is 503 while the response in flight finishes.
     */
    @Test void refusedConnectionsAndDraining() throws Exception {
        Path root = Files.createDirectories(dir.resolve("big"));
        try (var f = java.nio.channels.FileChannel.open(root.resolve("big.bin"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.allocate(1), 64L << 20); // 64 MiB: more than the socket buffers take
        }
        ServerConfig c = ServerConfig.defaults(root).with(b -> b.port(0).maxConnections(1)
                .observe(io.tenk.config.ObserveOptions.NONE.withAdmin(new Listen("127.0.0.1", 0))));
        TenkServer s = TenkServer.start(c, AccessLog.disabled(), new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false));
        try (RawClient holder = new RawClient(s.address())) {
            holder.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"); // and never read
            InetSocketAddress admin = s.adminAddress();
            awaitMetrics(admin, "tenk_connections_open 1");
            // then busy, not idle, once the server has read the request (on a loaded machine the
            // connection can be counted open before its request is read)
            String m = awaitMetrics(admin, "tenk_connections_idle 0");
            assertEquals(1, sample(m, "tenk_connections_open"));
            try (RawClient refused = new RawClient(s.address())) {
                assertTrue(new String(refused.readToEnd(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 503 "));
            }
            assertEquals(1, sample(get(admin, "/metrics").body(), "tenk_connections_refused_total"));
            s.stop();
            HttpResponse<String> r = get(admin, "/readyz");
            assertEquals(503, r.statusCode());
            assertEquals("draining\n", r.body());
            assertEquals(0, sample(get(admin, "/metrics").body(), "tenk_ready"));
        } finally {
            s.close();
        }
    }

    /** Scrapes until a line of the text is {@code line} (the server counts on its own threads). */
    static String awaitMetrics(InetSocketAddress admin, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String m = get(admin, "/metrics").body();
            if (m.lines().anyMatch(line::equals)) return m;
            if (System.nanoTime() > deadline) throw new AssertionError("no line '" + line + "' in\n" + m);
            Thread.sleep(10); // polling a condition with a deadline: each poll is a request
        }
    }

    @Test void noAdminListenerUnlessConfigured() throws Exception {
        try (TenkServer s = TenkServer.start(ServerConfig.defaults(dir.resolve("site")).with(b -> b.port(0)),
                AccessLog.disabled(), new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false))) {
            assertNull(s.adminAddress());
        }
    }
}
