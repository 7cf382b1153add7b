package io.tenk.server;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.Timeouts;
import io.tenk.config.TlsConfig;
import io.tenk.rules.RuleSet;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestCerts;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS end to end, over real sockets and real clients (java.net.http, a JDK TLS socket, curl,
 * openssl), against every model that runs in this process: the handshake, keep-alive and
 * pipelining, a file larger than a record byte-exact, a range, SNI, the protocol floor, the
 * handshake timeout, and the redirect from plain HTTP.
 */
class HttpsTest {
    static final Timeouts RELAXED = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(2));

    @TempDir static Path dir;
    static Path root;
    static byte[] big;
    static TestCerts certs;
    static TlsConfig localhost;
    static final Map<String, TestServer> SHARED = new HashMap<>();

    /** The models served by this process (prefork's workers are other processes: run by the CLI tests). */
    static Stream<String> models() { return TestServer.modelNames().filter(m -> !m.equals("prefork")); }

    @BeforeAll static void site() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Files.writeString(root.resolve("b.txt"), "bravo!\n");
        big = new byte[1024 * 1024];
        new Random(11).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        certs = new TestCerts(dir);
        localhost = certs.issue("localhost");
    }

    @AfterAll static void stopShared() {
        SHARED.values().forEach(TestServer::close);
    }

    static ServerConfig httpsConfig(String model, Timeouts t) {
        return TestServer.config(root, model).with(b -> b.timeouts(t).accessLog(false).listen(List.of(new Listen("127.0.0.1", 0, true))).sites(List.of(Site.serving(root).withTls(localhost))));
    }

    static TestServer shared(String model) throws IOException {
        TestServer s = SHARED.get(model);
        if (s == null) {
            s = TestServer.start(httpsConfig(model, RELAXED));
            SHARED.put(model, s);
        }
        return s;
    }

    static URI https(TestServer s, String path) {
        return URI.create("https://localhost:" + s.address().getPort() + path);
    }

    HttpClient client() {
        return HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest @MethodSource("models")
    void javaHttpClientGetsFilesAndRanges(String model) throws Exception {
        TestServer s = shared(model);
        HttpClient c = client();
        HttpResponse<String> a = c.send(HttpRequest.newBuilder(https(s, "/a.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, a.statusCode());
        assertEquals("alpha\n", a.body());
        assertEquals("TLSv1.3", a.sslSession().orElseThrow().getProtocol());
        HttpResponse<byte[]> whole = c.send(HttpRequest.newBuilder(https(s, "/big.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(big, whole.body());
        HttpResponse<byte[]> range = c.send(HttpRequest.newBuilder(https(s, "/big.bin"))
                .header("Range", "bytes=100000-300000").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(big, 100000, 300001), range.body());
    }

    @ParameterizedTest @MethodSource("models")
    void keepAliveAndPipeliningOverTls(String model) throws IOException {
        TestServer s = shared(model);
        try (RawClient c = new RawClient(certs.connect(s.address(), "localhost"))) {
            assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
            assertEquals("bravo!\n", c.send(get("/b.txt")).read().bodyText());
            c.send(get("/b.txt") + get("/a.txt") + get("/nope") + get("/big.bin") + get("/a.txt"));
            List<HttpReply> rs = c.read(5);
            assertEquals("bravo!\n", rs.get(0).bodyText());
            assertEquals("alpha\n", rs.get(1).bodyText());
            assertEquals(404, rs.get(2).status());
            assertArrayEquals(big, rs.get(3).body());
            assertEquals("alpha\n", rs.get(4).bodyText());
        }
    }

    @ParameterizedTest @ValueSource(strings = {"reactor", "virtual"})
    void curlWithTheCaFile(String model) throws Exception {
        TestServer s = shared(model);
        Path out = dir.resolve("curl-" + model + ".bin");
        curl("-o", out.toString(), https(s, "/big.bin").toString());
        assertArrayEquals(big, Files.readAllBytes(out));
        curl("-o", out.toString(), "-H", "Range: bytes=5-9", https(s, "/big.bin").toString());
        assertArrayEquals(Arrays.copyOfRange(big, 5, 10), Files.readAllBytes(out));
    }

    /**
     * A file goes out in full records: each read from the file is what one record holds, so no
     * small record (a write of its own) follows each full one. Counted on the wire by a relay
     * between the client and the server.
     */
    @ParameterizedTest @ValueSource(strings = {"reactor", "virtual"})
    void aFileGoesInFullRecords(String model) throws Exception {
        TestServer s = shared(model);
        try (RecordCounter relay = new RecordCounter(s.address());
             RawClient c = new RawClient(certs.connect(relay.address(), "localhost"))) {
            for (int i = 0; i < 2; i++) assertArrayEquals(big, c.send(get("/big.bin")).read().body());
            assertTrue(relay.full() >= 2 * big.length / (16 * 1024), "full records: " + relay.full());
            // after the first full record: the second head, each file's last part, and at most one
            // record from before the engine's record size was learnt
            assertTrue(relay.smallAfterFull() <= 4, relay.smallAfterFull() + " small records among " + relay.full() + " full ones");
        }
    }

    static void curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--fail", "--cacert", certs.caFile().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), said);
    }

    @Test void tls11AndOlderAreRefused() throws Exception {
        TestServer s = shared("reactor");
        for (String old : List.of("-tls1_1", "-tls1")) {
            Process p = new ProcessBuilder("openssl", "s_client", old, "-cipher", "DEFAULT@SECLEVEL=0",
                    "-connect", "127.0.0.1:" + s.address().getPort()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(p.exitValue() != 0 && !said.contains("BEGIN CERTIFICATE"), said);
        }
        Process ok = new ProcessBuilder("openssl", "s_client", "-tls1_2", "-connect", "127.0.0.1:" + s.address().getPort())
                .redirectErrorStream(true).start();
        ok.getOutputStream().close();
        String said = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ok.waitFor(30, TimeUnit.SECONDS));
        assertTrue(said.contains("Protocol  : TLSv1.2") && said.contains("ECDHE"), said);
    }

    @ParameterizedTest @ValueSource(strings = {"reactor", "threads"})
    void aStalledHandshakeIsClosedByTheHeaderTimeout(String model) throws Exception {
        Timeouts fast = new Timeouts(Duration.ofMillis(600), Duration.ofMillis(600), Duration.ofMillis(600),
                Duration.ofSeconds(5), Duration.ofSeconds(2));
        try (TestServer s = TestServer.start(httpsConfig(model, fast))) {
            // connects and sends nothing
            try (Socket silent = new Socket()) {
                silent.connect(s.address());
                silent.setSoTimeout(10_000);
                long start = System.nanoTime();
                assertEquals(-1, silent.getInputStream().read()); // closed: no alert for a handshake never begun
                assertTrue(System.nanoTime() - start < 5_000_000_000L);
            }
            // stops in the middle of a ClientHello: a record header promising 512 bytes, and 20 of them
            try (Socket half = new Socket()) {
                half.connect(s.address());
                half.setSoTimeout(10_000);
                byte[] hello = new byte[25];
                hello[0] = 0x16; hello[1] = 3; hello[2] = 1; hello[3] = 2; hello[4] = 0;
                hello[5] = 1;
                half.getOutputStream().write(hello);
                long start = System.nanoTime();
                InputStream in = half.getInputStream();
                int b;
                do {
                    b = in.read();
                } while (b >= 0);
                assertTrue(System.nanoTime() - start < 5_000_000_000L);
            }
        }
    }

    @Test void sniPicksTheSitesCertificate() throws Exception {
        Path aRoot = Files.createDirectories(dir.resolve("site-a"));
        Path bRoot = Files.createDirectories(dir.resolve("site-b"));
        Files.writeString(aRoot.resolve("who.txt"), "a\n");
        Files.writeString(bRoot.resolve("who.txt"), "b\n");
        TlsConfig a = certs.issue("a", "a.test");
        TlsConfig b = certs.issue("b", "b.test", "*.b.test");
        ServerConfig cfg = TestServer.config(root, "reactor").with(cb -> cb.accessLog(false).listen(List.of(new Listen("127.0.0.1", 0, true))).sites(List.of(site(List.of("a.test"), aRoot, a), site(List.of("b.test", "*.b.test"), bRoot, b),
                        site(List.of("plain.test"), root, null))));
        try (TestServer s = TestServer.start(cfg)) {
            assertTrue(names(s, "a.test").contains("a.test"));
            assertTrue(names(s, "b.test").contains("b.test"));
            assertTrue(names(s, "x.b.test").contains("*.b.test"));
            // unknown names, a site without a certificate, and no SNI at all get the default site's (the first)
            assertTrue(names(s, "nobody.test").contains("a.test"));
            assertTrue(names(s, "plain.test").contains("a.test"));
            assertTrue(names(s, null).contains("a.test"));
            try (RawClient c = new RawClient(certs.connect(s.address(), "b.test"))) {
                assertEquals("b\n", c.send("GET /who.txt HTTP/1.1\r\nHost: b.test\r\n\r\n").read().bodyText());
            }
            // a session is resumed under the name it began with, never under another
            Path session = dir.resolve("a.session");
            assertTrue(sClient(s, "a.test", "-sess_out", session.toString()).contains("New, TLSv1.3"));
            String other = sClient(s, "b.test", "-sess_in", session.toString());
            assertTrue(other.contains("New, TLSv1.3"), other); // a full handshake, so b.test's certificate
            assertTrue(sClient(s, "a.test", "-sess_in", session.toString()).contains("Reused, TLSv1.3"));
        }
    }

    @Test void plainHttpRedirectsToHttpsAndHstsIsPerSite() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("o.txt"), "other\n");
        ServerConfig cfg = TestServer.config(root, "reactor").with(b -> b.accessLog(false).listen(List.of(new Listen("127.0.0.1", 0, false), new Listen("127.0.0.1", 0, true))).sites(List.of(site(List.of("localhost"), root, localhost.withHsts(true)),
                        site(List.of("*"), other, null))));
        try (TestServer s = TestServer.start(cfg)) {
            InetSocketAddress plain = s.addresses().get(0);
            InetSocketAddress secure = s.addresses().get(1);
            try (RawClient c = new RawClient(plain)) {
                HttpReply r = c.send("GET /a.txt?x=1 HTTP/1.1\r\nHost: localhost:" + plain.getPort() + "\r\n\r\n").read();
                assertEquals(308, r.status());
                assertEquals("https://localhost:" + secure.getPort() + "/a.txt?x=1", r.header("Location"));
                // the ACME challenge path stays on plain HTTP
                assertEquals(404, c.send("GET /.well-known/acme-challenge/tok HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
                // a site without a certificate is served over plain HTTP
                HttpReply o = c.send("GET /o.txt HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n").read();
                assertEquals("other\n", o.bodyText());
            }
            try (RawClient c = new RawClient(certs.connect(secure, "localhost"))) {
                HttpReply r = c.send("GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
                assertEquals("alpha\n", r.bodyText());
                assertEquals("max-age=" + TlsConfig.HSTS_MAX_AGE, r.header("Strict-Transport-Security"));
                HttpReply o = c.send("GET /o.txt HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n").read();
                assertEquals("other\n", o.bodyText());
                assertNull(o.header("Strict-Transport-Security"));
            }
        }
    }

    @Test void withoutHstsNoFieldAndAlpnSaysHttp11() throws Exception {
        try (RawClient c = new RawClient(certs.connect(shared("reactor").address(), "localhost"))) {
            HttpReply r = c.send(get("/a.txt")).read();
            assertEquals(200, r.status());
            assertNull(r.header("Strict-Transport-Security"));
            assertFalse(((SSLSocket) c.socket()).getSession().getCipherSuite().contains("CBC"));
            // the client offered h2 and http/1.1
            assertEquals("http/1.1", ((SSLSocket) c.socket()).getApplicationProtocol());
        }
    }

    @Test void anRsaCertificateFromOpensslServes() throws Exception {
        Path rsa = Files.createDirectories(dir.resolve("rsa"));
        for (String cmd : List.of("genrsa -traditional -out key.pem 2048",
                "req -x509 -key key.pem -subj /CN=localhost -addext subjectAltName=DNS:localhost -days 2 -out cert.pem")) {
            List<String> args = new java.util.ArrayList<>(List.of("openssl"));
            args.addAll(List.of(cmd.split(" ")));
            assertEquals(0, new ProcessBuilder(args).directory(rsa.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor());
        }
        TlsConfig t = new TlsConfig(rsa.resolve("cert.pem"), rsa.resolve("key.pem"), false);
        ServerConfig cfg = TestServer.config(root, "reactor").with(b -> b.accessLog(false).listen(List.of(new Listen("127.0.0.1", 0, true))).sites(List.of(Site.serving(root).withTls(t))));
        try (TestServer s = TestServer.start(cfg)) {
            Path out = dir.resolve("rsa.txt");
            List<String> cmd = List.of("curl", "-sS", "--fail", "--cacert", t.cert().toString(), "--tlsv1.2", "--tls-max", "1.2",
                    "-o", out.toString(), https(s, "/a.txt").toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), said);
            assertEquals("alpha\n", Files.readString(out));
        }
    }

    @Test void aReloadKeepsTheCertificatesAndSaysSo() throws Exception {
        ServerConfig cfg = httpsConfig("reactor", RELAXED);
        try (io.tenk.TenkServer s = io.tenk.TenkServer.start(cfg, io.tenk.observe.AccessLog.disabled(),
                new io.tenk.observe.ErrorLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false))) {
            assertEquals(List.of(), s.reload(cfg));
            TlsConfig other = certs.issue("other", "other.test");
            assertEquals(List.of("certificates changed: restart to apply"),
                    s.reload(cfg.with(b -> b.sites(List.of(Site.serving(root).withTls(other))))));
        }
    }

    /** What {@code openssl s_client} says about a connection that asks for {@code sni} (stdin held open briefly, for the tickets). */
    static String sClient(TestServer s, String sni, String... more) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + s.address().getPort(),
                "-servername", sni, "-CAfile", certs.caFile().toString()));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("GET /who.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        StringBuilder said = new StringBuilder();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                said.append(line).append('\n');
                if (line.startsWith("HTTP/1.1")) break; // the answer came: the tickets came before it
            }
            p.getOutputStream().close();
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return said.toString();
    }

    static Site site(List<String> names, Path root, TlsConfig tls) {
        return new Site(names, ServerConfig.defaultSiteOptions(root), RuleSet.EMPTY, List.of(), tls);
    }

    static String get(String path) { return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n"; }

    private static X509Certificate leaf(TestServer s, String sni) throws IOException {
        try (SSLSocket socket = certs.connectFresh(s.address(), sni)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static String names(TestServer s, String sni) throws Exception {
        return String.valueOf(leaf(s, sni).getSubjectAlternativeNames());
    }

    /**
     * Relays one connection to a server and reads the TLS records it sends back: how many were
     * full (over 16,000 bytes) and how many small ones (under 4 KiB) came after the first full one.
     */
    static final class RecordCounter implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final AtomicInteger full = new AtomicInteger(), smallAfterFull = new AtomicInteger();
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        RecordCounter(InetSocketAddress server) throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket client = listener.accept(); Socket upstream = new Socket(server.getAddress(), server.getPort())) {
                    sockets.add(client);
                    sockets.add(upstream);
                    Thread up = Thread.ofPlatform().daemon().start(() -> copy(client, upstream));
                    count(upstream.getInputStream(), client.getOutputStream());
                    up.join();
                } catch (IOException | InterruptedException e) {
                    // the test's end closes both sides
                }
            });
        }

        InetSocketAddress address() { return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()); }
        int full() { return full.get(); }
        int smallAfterFull() { return smallAfterFull.get(); }

        private void count(InputStream in, java.io.OutputStream out) throws IOException {
            byte[] header = new byte[5];
            while (true) {
                int got = in.readNBytes(header, 0, 5);
                if (got < 5) return;
                int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                byte[] body = in.readNBytes(length);
                if (length > 16_000) full.incrementAndGet();
                else if (length < 4096 && full.get() > 0) smallAfterFull.incrementAndGet();
                out.write(header);
                out.write(body);
                out.flush();
            }
        }

        private static void copy(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // closed
            }
        }

        @Override public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) s.close();
        }
    }
}
