package io.tenk.server;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.Timeouts;
import io.tenk.config.TlsConfig;
import io.tenk.support.RawClient;
import io.tenk.support.TestCerts;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS handshakes are slow work (a key exchange and a signature per connection): on an event loop
 * they must not hold up the connections already served. While {@value #FLOOD_CLIENTS} clients
 * make new TLS connections as fast as they can (full handshakes, no resumption), a client on an
 * established keep-alive connection gets its answers in bounded time, and every handshake of the
 * flood ends (served, or closed), none hangs. Then the clients that stall: after a whole
 * ClientHello (the server's flight sent, its Finished awaited) and after the handshake in the
 * middle of a request head (slowloris): the header timeout closes both. Runs alone: its bounds
 * are latencies.
 */
@Isolated
class HandshakeFloodTest {
    static final int FLOOD_CLIENTS = 200;
    static final long FLOOD_MILLIS = 2000;
    static final long MEDIAN_LIMIT_MILLIS = 200;
    static final long WORST_LIMIT_MILLIS = 1000;
    static final Timeouts FAST = new Timeouts(Duration.ofMillis(800), Duration.ofMillis(800), Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(2));

    @TempDir static Path dir;
    static TestCerts certs;
    static TestServer server;      // header timeout FAST: for the clients that stall
    static TestServer floodServer; // timeouts long: a handshake queued behind the flood is slow, not stalled

    @BeforeAll static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        certs = new TestCerts(dir);
        TlsConfig localhost = certs.issue("localhost");
        server = TestServer.start(config(root, localhost, FAST));
        floodServer = TestServer.start(config(root, localhost, HttpsTest.RELAXED));
    }

    static ServerConfig config(Path root, TlsConfig tls, Timeouts timeouts) {
        return TestServer.config(root, "reactor").with(b -> b.timeouts(timeouts).accessLog(false)
                .maxConnections(FLOOD_CLIENTS * 2 + 50)
                .listen(List.of(new Listen("127.0.0.1", 0, true))).sites(List.of(Site.serving(root).withTls(tls))));
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
        if (floodServer != null) floodServer.close();
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    @Test void anEstablishedConnectionIsServedPromptlyDuringAHandshakeFlood() throws Exception {
        try (RawClient c = new RawClient(certs.connect(floodServer.address(), "localhost"))) {
            for (int i = 0; i < 20; i++) assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText()); // warm
            AtomicInteger served = new AtomicInteger(), closed = new AtomicInteger(), hung = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            ExecutorService flood = Executors.newFixedThreadPool(FLOOD_CLIENTS);
            long floodEnd = System.nanoTime() + FLOOD_MILLIS * 1_000_000;
            for (int i = 0; i < FLOOD_CLIENTS; i++) {
                flood.execute(() -> {
                    while (System.nanoTime() - floodEnd < 0) handshakeOnce(served, closed, hung, failures);
                });
            }
            List<Long> latencies = new ArrayList<>();
            while (served.get() + closed.get() == 0 && System.nanoTime() - floodEnd < 0) Thread.sleep(10);
            while (latencies.size() < 5 || System.nanoTime() - floodEnd < -300_000_000L) {
                long t0 = System.nanoTime();
                assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
                latencies.add((System.nanoTime() - t0) / 1_000_000);
            }
            flood.shutdown();
            assertTrue(flood.awaitTermination(30, TimeUnit.SECONDS), "the flood's handshakes did not all end");
            long[] ms = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long median = ms[ms.length / 2], worst = ms[ms.length - 1];
            System.out.println("[tls flood] " + served + " served, " + closed + " closed, " + hung + " hung; "
                    + ms.length + " keep-alive requests meanwhile: median " + median + " ms, worst " + worst + " ms");
            assertEquals(0, hung.get(), "handshakes that hung");
            assertEquals(0, failures.get(), "flood connections that ended otherwise than served or closed");
            assertTrue(served.get() > 0, "the flood made no connection");
            assertTrue(median < MEDIAN_LIMIT_MILLIS, "median " + median + " ms: " + Arrays.toString(ms));
            assertTrue(worst < WORST_LIMIT_MILLIS, "worst " + worst + " ms: " + Arrays.toString(ms));
            assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
        }
    }

    /** One flood connection: a full handshake (a fresh client, nothing to resume) and one request. */
    static void handshakeOnce(AtomicInteger served, AtomicInteger closed, AtomicInteger hung, AtomicInteger failures) {
        try (SSLSocket s = certs.connectFresh(floodServer.address(), "localhost")) {
            s.getOutputStream().write("GET /a.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (reply.startsWith("HTTP/1.1 200") && reply.endsWith("alpha\n")) served.incrementAndGet();
            else failures.incrementAndGet();
        } catch (SocketTimeoutException e) {
            hung.incrementAndGet();
        } catch (IOException e) {
            if (closed.incrementAndGet() == 1) System.out.println("[tls flood] first closed: " + e);
        }
    }

    @Test void aClientThatStopsAfterItsHelloIsClosedByTheHeaderTimeout() throws Exception {
        SSLEngine client = certs.clientContext().createSSLEngine("localhost", server.address().getPort());
        client.setUseClientMode(true);
        ByteBuffer hello = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), hello);
        hello.flip();
        try (Socket s = new Socket()) {
            s.connect(server.address());
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello.array(), 0, hello.limit());
            long start = System.nanoTime();
            int got = drain(s.getInputStream());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(got > 0, "the server sent its handshake flight");
            assertTrue(ms < 5000, "closed after " + ms + " ms");
        }
    }

    @Test void slowlorisOverTlsIsClosedByTheHeaderTimeout() throws Exception {
        try (SSLSocket s = certs.connect(server.address(), "localhost")) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /a.txt HTTP/1.1\r\nHost: localhost\r\nX-a: ".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            AtomicInteger dripped = new AtomicInteger();
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Thread.sleep(100); // the attack's pace
                        s.getOutputStream().write('a');
                        dripped.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: the attack is over
                }
            });
            String reply = new String(readToEnd(s.getInputStream()), StandardCharsets.ISO_8859_1);
            long ms = (System.nanoTime() - start) / 1_000_000;
            drip.interrupt();
            assertTrue(reply.startsWith("HTTP/1.1 408"), reply);
            assertTrue(ms < 5000, "closed after " + ms + " ms");
            assertTrue(dripped.get() > 0, "the attack dripped nothing");
        }
    }

    /** Reads until the peer closes; returns how many bytes came. */
    static int drain(InputStream in) throws IOException {
        byte[] b = new byte[4096];
        int total = 0, n;
        while ((n = in.read(b)) >= 0) total += n;
        return total;
    }

    /** Reads until the peer closes (a reset after its last bytes ends the reading too). */
    static byte[] readToEnd(InputStream in) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) >= 0) out.write(b, 0, n);
        } catch (java.net.SocketException e) {
            // reset after the response: what came is what counts
        }
        return out.toByteArray();
    }
}
