package io.tenk.model;

import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.model.process.ProcessModel;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The parent of {@code process} over real sockets, with children that are shell one-liners (a
 * JVM per connection would make hundreds of connections take minutes): each child writes its pid
 * to the socket on its stdin, and either exits or waits for the client to close. What is checked
 * is the parent's part: it lets go of every socket (the client sees the end of the connection),
 * reaps every child (no zombie), keeps its descriptor count flat, survives a child killed with
 * SIGKILL, refuses beyond {@code --max-connections} with a 503, and kills children that outlast the
 * shutdown timeout. {@code ProcessModelTest} runs the real children.
 */
@Isolated // counts this JVM's descriptors
@EnabledOnOs(OS.LINUX)
class ProcessParentTest {
    /** Writes its pid and exits. */
    private static final List<String> ONE_SHOT = List.of("/bin/sh", "-c", "printf '%s\\n' $$ >&0");
    /** Writes its pid, then reads until the client closes. */
    private static final List<String> HOLDING = List.of("/bin/sh", "-c", "printf '%s\\n' $$ >&0; exec cat >/dev/null");
    private static final long WAIT_MILLIS = 30_000;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private ConnectionLimiter limiter;

    private ProcessModel start(List<String> child, int maxConnections, Duration shutdown) throws IOException {
        return start("127.0.0.1", child, maxConnections, shutdown);
    }

    private ProcessModel start(String host, List<String> child, int maxConnections, Duration shutdown) throws IOException {
        assumeTrue(ProcessModel.unavailable() == null, ProcessModel.unavailable());
        Timeouts t = ServerConfig.DEFAULT_TIMEOUTS;
        ServerContext ctx = new ServerContext(request -> null, ServerConfig.DEFAULT_LIMITS,
                new Timeouts(t.header(), t.body(), t.idle(), t.write(), shutdown), ServerConfig.MAX_DISCARDED_BODY,
                AccessLog.disabled(), new ErrorLog(new PrintStream(errors, true, StandardCharsets.UTF_8), false),
                limiter = new ConnectionLimiter(maxConnections), (what, cause) -> { }, io.tenk.observe.Metrics.disabled());
        ProcessModel m = new ProcessModel(new Bind(new InetSocketAddress(host, 0), false), ctx, child);
        m.start();
        return m;
    }

    private static void stop(ProcessModel m) throws InterruptedException {
        m.stop();
        m.awaitStopped();
    }

    /** Connects and reads until the server ends the connection; what it sent. */
    private static String readToEnd(ProcessModel m) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(m.address(), 10_000);
            s.setSoTimeout((int) WAIT_MILLIS);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static int pidOf(String line) { return Integer.parseInt(line.strip()); }

    /** Whether the process is gone for good: reaped, not even a zombie left. */
    private static boolean gone(int pid) { return !Files.exists(Path.of("/proc/" + pid)); }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    private static int descriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    @Test void theConnectionEndsWithItsChildAndTheChildIsReaped() throws Exception {
        ProcessModel m = start(ONE_SHOT, 16, Duration.ofSeconds(2));
        try {
            // were the parent to keep its copy of the socket, this read would never see the end
            int pid = pidOf(readToEnd(m));
            await("child " + pid + " is reaped", () -> gone(pid));
            await("the parent counts no child", () -> m.children().isEmpty());
        } finally {
            stop(m);
        }
    }

    @Test void servesOverIpv6() throws Exception {
        assumeTrue(java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .anyMatch(a -> a instanceof java.net.Inet6Address && a.isLoopbackAddress()), "no IPv6 loopback here");
        ProcessModel m = start("::1", ONE_SHOT, 16, Duration.ofSeconds(2));
        try {
            int pid = pidOf(readToEnd(m));
            await("child " + pid + " is reaped", () -> gone(pid));
        } finally {
            stop(m);
        }
    }

    @Test void descriptorsStayFlatAcrossAThousandConnections() throws Exception {
        ProcessModel m = start(ONE_SHOT, 64, Duration.ofSeconds(2));
        try {
            readToEnd(m); // the first spawn sets up what every later one reuses
            await("the parent counts no child", () -> m.children().isEmpty());
            int before = descriptors();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> replies = new ArrayList<>();
                for (int i = 0; i < 1000; i++) replies.add(pool.submit(() -> readToEnd(m)));
                List<Integer> pids = new ArrayList<>();
                for (Future<String> r : replies) pids.add(pidOf(r.get()));
                await("every child is reaped", () -> pids.stream().allMatch(ProcessParentTest::gone));
            } finally {
                pool.shutdownNow();
            }
            await("the parent counts no child", () -> m.children().isEmpty());
            int after = descriptors();
            assertTrue(after <= before + 2, "descriptors before " + before + ", after 1,000 connections " + after);
        } finally {
            stop(m);
        }
    }

    @Test void aBurstLeavesNoZombie() throws Exception {
        ProcessModel m = start(ONE_SHOT, 64, Duration.ofSeconds(2));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 40; i++) replies.add(clients.submit(() -> readToEnd(m)));
            List<Integer> pids = new ArrayList<>();
            for (Future<String> r : replies) pids.add(pidOf(r.get()));
            assertEquals(40, pids.stream().distinct().count());
            await("every child of the burst is reaped", () -> pids.stream().allMatch(ProcessParentTest::gone));
            await("the parent counts no child", () -> m.children().isEmpty());
        } finally {
            stop(m);
        }
    }

    @Test void aChildKilledWithSigkillCostsOnlyItsConnection() throws Exception {
        ProcessModel m = start(HOLDING, 16, Duration.ofSeconds(2));
        try (Socket victim = new Socket(); Socket other = new Socket()) {
            victim.connect(m.address(), 10_000);
            victim.setSoTimeout((int) WAIT_MILLIS);
            other.connect(m.address(), 10_000);
            other.setSoTimeout((int) WAIT_MILLIS);
            int pid = pidOf(line(victim.getInputStream()));
            int otherPid = pidOf(line(other.getInputStream()));
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly()); // SIGKILL
            assertEquals(-1, victim.getInputStream().read(), "the killed child's connection ends");
            await("the killed child is reaped", () -> gone(pid));
            assertTrue(m.children().contains(otherPid) && !gone(otherPid), "the other connection's child lives on");
            try (Socket next = new Socket()) { // and the server still serves
                next.connect(m.address(), 10_000);
                next.setSoTimeout((int) WAIT_MILLIS);
                int nextPid = pidOf(line(next.getInputStream()));
                assertTrue(nextPid != pid && nextPid != otherPid);
            }
        } finally {
            stop(m);
        }
    }

    @Test void beyondMaxConnectionsA503AndASlotComesBackWhenAChildExits() throws Exception {
        ProcessModel m = start(HOLDING, 2, Duration.ofSeconds(2));
        try (Socket a = new Socket(); Socket b = new Socket()) {
            for (Socket s : List.of(a, b)) {
                s.connect(m.address(), 10_000);
                s.setSoTimeout((int) WAIT_MILLIS);
                line(s.getInputStream()); // its child runs
            }
            String refused = readToEnd(m);
            assertTrue(refused.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), refused);
            assertEquals(2, m.children().size());
            a.close(); // its child reads the end and exits: the slot comes back
            await("a's child is reaped", () -> m.children().size() == 1);
            try (Socket c = new Socket()) {
                c.connect(m.address(), 10_000);
                c.setSoTimeout((int) WAIT_MILLIS);
                pidOf(line(c.getInputStream()));
            }
        } finally {
            stop(m);
        }
    }

    @Test void aChildThatCannotBeSpawnedIsA503AndGivesItsSlotBack() throws Exception {
        ProcessModel m = start(List.of("/nonexistent/tenk-child"), 1, Duration.ofSeconds(2));
        try {
            String refused = readToEnd(m);
            assertTrue(refused.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), refused);
            assertTrue(errors.toString(StandardCharsets.UTF_8).contains("cannot start a process for a connection"), errors.toString(StandardCharsets.UTF_8));
            assertTrue(m.children().isEmpty());
            assertTrue(limiter.tryAcquire(), "the connection's slot was given back");
            limiter.release();
        } finally {
            stop(m);
        }
    }

    @Test void childrenThatOutlastTheShutdownTimeoutAreKilled() throws Exception {
        ProcessModel m = start(HOLDING, 4, Duration.ofMillis(300));
        try (Socket s = new Socket()) {
            s.connect(m.address(), 10_000);
            s.setSoTimeout((int) WAIT_MILLIS);
            int pid = pidOf(line(s.getInputStream())); // a shell child does not drain: it waits for the client
            long t0 = System.nanoTime();
            stop(m);
            assertTrue(gone(pid), "the child was killed and reaped by the time the model stopped");
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
            assertEquals(-1, s.getInputStream().read());
        }
    }

    /** One line from the stream (the child's pid). */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("connection ended after '" + b + "'");
            b.append((char) c);
        }
        return b.toString();
    }
}
