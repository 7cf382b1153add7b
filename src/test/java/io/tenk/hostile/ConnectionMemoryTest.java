package io.tenk.hostile;

import io.tenk.config.ModelKind;
import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client can make the server hold: 2,000 connections each stuck 15 KiB into a request
 * head cost at most the header-section limit plus {@link #FIXED_BYTES} each (heap after GC,
 * client sockets included, so the bound is conservative). Measures this JVM's heap, so it runs
 * alone, in a JVM of its own that {@code InOwnJvmTest} starts (tag "own-jvm" keeps it out of the
 * shared one).
 */
@Isolated
@Tag("own-jvm")
class ConnectionMemoryTest {
    /** The fixed per-connection cost stated in README ("Limits and timeouts"). */
    static final long FIXED_BYTES = 4 * 1024;
    /** Input read while a response is blocked waits unparsed: at most one read buffer (IoBuffers). */
    static final long READ_BUFFER = 32 * 1024;
    static final int CONNECTIONS = 2000;
    /** Thread-per-connection models hold the thread too: a virtual thread's stack lives in the heap. */
    static final long THREAD_FIXED_BYTES = 16 * 1024;
    /**
     * Models that read only as many connections at a time as they have threads (iterative: one;
     * pool: its threads): the rest wait unread in the kernel, so the bound holds trivially.
     */
    static final List<String> BOUNDED_CONCURRENCY = List.of("iterative", "pool");

    static long fixedBytes(String model) {
        return model.equals("threads") || model.equals("virtual") ? THREAD_FIXED_BYTES : FIXED_BYTES;
    }

    @TempDir Path root;

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void partialHeadsCostAtMostTheHeaderLimitPlusAFixedAmount(String model) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(model.endsWith("/select"),
                "select(2) watches no descriptor past 1,024 and refuses those connections (SelectWallTest): it cannot hold " + CONNECTIONS);
        org.junit.jupiter.api.Assumptions.assumeFalse(model.equals("prefork"),
                "prefork's workers are other processes: this JVM's heap does not hold their connections");
        ServerConfig cfg = TestServer.config(root, new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(1))).with(b -> TestServer.model(b, model).accessLog(false)
                .maxConnections(CONNECTIONS + 10));
        byte[] partial = ("GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(15 * 1024)).getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> socks = new ArrayList<>(CONNECTIONS);
        try (TestServer s = TestServer.start(cfg)) {
            long before = FaultsTest.heapAfterGc();
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket sock = new Socket("127.0.0.1", s.address().getPort());
                sock.getOutputStream().write(partial);
                socks.add(sock);
            }
            // the server has read every byte (or, reading only some connections, all it is going to)
            awaitReadsSettled(s.address(), !BOUNDED_CONCURRENCY.contains(model));
            long after = FaultsTest.heapAfterGc();
            long perConnection = (after - before) / CONNECTIONS;
            long bound = cfg.limits().maxHeaderSection() + fixedBytes(model);
            System.out.println("[memory] " + model + ": " + perConnection + " bytes per connection holding a 15 KiB partial head (bound " + bound + ")");
            assertTrue(perConnection <= bound, perConnection + " bytes per connection > " + bound);
            if (!BOUNDED_CONCURRENCY.contains(model)) {
                assertTrue(perConnection >= 10 * 1024, "the partial heads were not all read: " + perConnection);
            }
        } finally {
            closeAtOnce(socks);
        }
    }

    /**
     * A client that pipelines requests and never reads the responses: the server stops reading
     * while a response is blocked, so it keeps at most one read's worth of input, plus the
     * response in flight (a file region, not its bytes).
     */
    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void pipeliningNonReadersCostAtMostOneReadBuffer(String model) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(model.equals("prefork"),
                "prefork's workers are other processes: this JVM's heap does not hold their connections");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        int n = 500;
        ServerConfig cfg = TestServer.config(root, new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(1))).with(b -> TestServer.model(b, model).accessLog(false)
                .maxConnections(n + 10));
        byte[] burst = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".repeat(4000).getBytes(StandardCharsets.ISO_8859_1); // ~140 KiB
        List<Socket> socks = new ArrayList<>(n);
        try (TestServer s = TestServer.start(cfg)) {
            long before = FaultsTest.heapAfterGc();
            for (int i = 0; i < n; i++) {
                Socket sock = new Socket();
                sock.setReceiveBufferSize(8 * 1024);
                sock.connect(s.address());
                sock.setSoTimeout(1); // never read; writes below only fill what the kernel takes
                socks.add(sock);
                Socket ref = sock;
                Thread.ofVirtual().start(() -> {
                    try { ref.getOutputStream().write(burst); } catch (IOException ignored) { /* blocked until closed */ }
                });
            }
            awaitReadsSettled(s.address(), false); // responses block: the server stops reading
            long after = FaultsTest.heapAfterGc();
            long perConnection = (after - before) / n;
            long bound = READ_BUFFER + FIXED_BYTES + 8 * 1024; // + the client's own blocked write
            System.out.println("[memory] " + model + ": " + perConnection + " bytes per pipelining non-reader (bound " + bound + ")");
            assertTrue(perConnection <= bound, perConnection + " bytes per connection > " + bound);
        } finally {
            closeAtOnce(socks);
        }
    }

    /**
     * An idle TLS keep-alive connection (handshake done, one request served) holds its engine and
     * no record buffers: at most {@link #IDLE_TLS_BYTES} each, heap and direct memory together.
     * The clients run in a process of their own ({@link IdleTlsClients}), so only the server's side
     * is in this JVM's heap.
     */
    @org.junit.jupiter.api.Test
    void idleTlsConnectionsHoldNoRecordBuffers() throws Exception {
        int warm = 20, n = 500;
        java.nio.file.Files.writeString(root.resolve("a.txt"), "alpha\n");
        io.tenk.support.TestCerts certs = new io.tenk.support.TestCerts(root.resolve("certs"));
        io.tenk.config.TlsConfig tls = certs.issue("localhost");
        ServerConfig cfg = TestServer.config(root, new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(1))).with(b -> b.model(ModelKind.parse("reactor"))
                .accessLog(false).maxConnections(warm + n + 10).listen(List.of(new io.tenk.config.Listen("127.0.0.1", 0, true)))
                .sites(List.of(io.tenk.config.Site.serving(root).withTls(tls))));
        try (TestServer s = TestServer.start(cfg)) {
            // the first connections warm what every connection shares (classes, caches, the
            // session cache's entry) and stay open; the measured n come after them
            long[] heap = new long[2];
            clientBatches(s.address().getPort(), certs.caFile(), List.of(warm, n), batch -> heap[batch] = FaultsTest.heapAfterGc() + directBytes());
            long perConnection = (heap[1] - heap[0]) / n;
            System.out.println("[memory] reactor: " + perConnection + " bytes per idle TLS keep-alive connection (bound " + IDLE_TLS_BYTES + ")");
            assertTrue(perConnection <= IDLE_TLS_BYTES, perConnection + " bytes per idle TLS connection > " + IDLE_TLS_BYTES);
        }
    }

    /** The bound on an idle TLS connection, stated in docs/HTTPS.md. */
    static final long IDLE_TLS_BYTES = 12 * 1024;

    /** What the test does while a batch of clients is held: {@code batch} counts from 0. */
    interface WhileHeld {
        void run(int batch) throws Exception;
    }

    /**
     * Runs {@link IdleTlsClients} (one process, C1 only: it is short) opening {@code batches} of
     * connections one batch after another, all held open; {@code whileHeld} runs after each batch.
     */
    static void clientBatches(int port, Path caFile, List<Integer> batches, WhileHeld whileHeld) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                IdleTlsClients.class.getName(), String.valueOf(port), caFile.toString()));
        batches.forEach(n -> cmd.add(String.valueOf(n)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             var next = new java.io.PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
            for (int batch = 0; batch < batches.size(); batch++) {
                if (batch > 0) next.println();
                String line = lines.readLine();
                assertTrue("ready".equals(line), "the clients said " + line);
                whileHeld.run(batch);
            }
        } finally {
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /**
     * Closes the clients with a reset: no TIME_WAIT sockets left behind to fill the tables that
     * {@link #unreadBytes} reads in the cases after.
     */
    static void closeAtOnce(List<Socket> socks) {
        for (Socket sock : socks) {
            try {
                sock.setSoLinger(true, 0);
                sock.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Direct buffer memory in use. */
    static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
    }

    /**
     * Waits until the server's side of its connections holds no unread input ({@code allRead}), or
     * else until what it holds has not changed for a second: the server has read all it will.
     * Reads the kernel's per-socket receive queues from /proc/net/tcp (at most 30 s), less and less
     * often: with thousands of sockets open, one reading costs the kernel some 10 ms of CPU.
     */
    static void awaitReadsSettled(java.net.InetSocketAddress server, boolean allRead) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long last = -1;
        long sameSince = System.nanoTime();
        long pause = 20;
        while (System.nanoTime() < deadline) {
            long unread = unreadBytes(server);
            if (unread == 0) return;
            long now = System.nanoTime();
            if (unread != last) {
                last = unread;
                sameSince = now;
            } else if (!allRead && now - sameSince >= 1_000_000_000L) {
                return;
            }
            Thread.sleep(pause);
            pause = Math.min(250, pause * 2);
        }
    }

    /** The bytes waiting in the receive queues of established TCP sockets whose local address is {@code server}'s. */
    static long unreadBytes(java.net.InetSocketAddress server) throws IOException {
        return receiveQueues(server, "01"); // 01: ESTABLISHED
    }

    /**
     * The receive queues of the TCP sockets in {@code state} (the kernel's hex code) whose local
     * address and port are {@code server}'s, summed: bytes unread for a connection; for a
     * listening socket (0A), connections not yet accepted. The address counts, not only the port:
     * a socket of another process may hold the same port number on another address (::1).
     */
    static long receiveQueues(java.net.InetSocketAddress server, String state) throws IOException {
        String local = procAddress(server);
        long total = 0;
        // a JDK socket bound to 127.0.0.1 may be an IPv6 one (::ffff:127.0.0.1, whose last word is
        // the IPv4 address's): read both tables
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            java.nio.file.Path path = java.nio.file.Path.of(table);
            if (!java.nio.file.Files.isReadable(path)) continue;
            for (String line : java.nio.file.Files.readAllLines(path)) {
                // sl local_address rem_address st tx_queue:rx_queue ...; polled while thousands of
                // sockets exist: fields found by hand, the rest only on the server's address
                String at = RefusalBurstTest.field(line, 1);
                if (at == null || !at.endsWith(local) || !state.equals(RefusalBurstTest.field(line, 3))) continue;
                String queues = RefusalBurstTest.field(line, 4);
                total += Long.parseLong(queues, queues.indexOf(':') + 1, queues.length(), 16);
            }
        }
        return total;
    }

    /**
     * How /proc/net/tcp writes an address and port: the address in 32-bit words, each in the
     * machine's byte order (little-endian here), then the port; for an IPv4 address this is also
     * how the IPv4-mapped IPv6 address ends in /proc/net/tcp6. A wildcard address gives the port alone.
     */
    static String procAddress(java.net.InetSocketAddress a) {
        if (a.getAddress().isAnyLocalAddress()) return String.format(":%04X", a.getPort()); // any address
        byte[] b = a.getAddress().getAddress();
        StringBuilder s = new StringBuilder();
        for (int w = 0; w < b.length; w += 4) {
            for (int i = w + 3; i >= w; i--) s.append(String.format("%02X", b[i] & 0xff));
        }
        return s.append(String.format(":%04X", a.getPort())).toString();
    }
}
