package io.tenk.model;

import io.tenk.TenkServer;
import io.tenk.config.Timeouts;
import io.tenk.model.process.ProcessModel;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.support.ChildJvm;
import io.tenk.support.ChildServer;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code process} with its real children (a JVM running tenk per connection): one child serves a
 * kept-alive, pipelined connection and is gone once the client closes; a stop lets a child finish
 * and exit well before the shutdown timeout. Each connection costs a JVM start: few connections.
 */
@EnabledOnOs(OS.LINUX)
class ProcessModelTest {
    private static final long WAIT_MILLIS = 60_000;
    private static final Timeouts RELAXED = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));

    @TempDir static Path dir;
    static Path root;
    static TenkServer server;
    static ProcessModel model;
    static final ByteArrayOutputStream ERRORS = new ByteArrayOutputStream();

    @BeforeAll static void start() throws IOException {
        assumeTrue(ProcessModel.unavailable() == null, ProcessModel.unavailable());
        ChildJvm.configureChildren(); // each connection's JVM starts from the jar, with its cache
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Files.writeString(root.resolve("b.txt"), "bravo!\n");
        server = TenkServer.start(TestServer.config(root, "process").with(b -> b.timeouts(RELAXED).accessLog(false)),
                AccessLog.disabled(), new ErrorLog(new PrintStream(ERRORS, true, StandardCharsets.UTF_8), false));
        model = (ProcessModel) server.model();
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
    }

    static String get(String path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    private static boolean gone(int pid) { return !Files.exists(Path.of("/proc/" + pid)); }

    @Test void oneChildServesAKeptAliveAndPipelinedConnectionAndIsGoneAfterTheClose() throws Exception {
        int pid;
        try (RawClient c = new RawClient(server.address(), (int) WAIT_MILLIS)) {
            assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
            List<Integer> children = model.children();
            assertEquals(1, children.size(), "one child for the connection: " + children);
            pid = children.getFirst();
            assertTrue(ProcessHandle.of(pid).orElseThrow().info().arguments().map(List::of).orElse(List.of())
                    .contains("--process-child"));
            assertEquals("bravo!\n", c.send(get("/b.txt")).read().bodyText());
            c.send(get("/b.txt") + get("/a.txt") + get("/nope"));
            List<HttpReply> rs = c.read(3);
            assertEquals("bravo!\n", rs.get(0).bodyText());
            assertEquals("alpha\n", rs.get(1).bodyText());
            assertEquals(404, rs.get(2).status());
            assertEquals(List.of(pid), model.children(), "the same child served every request of the connection");
        }
        await("the child exits and is reaped after the client closed", () -> gone(pid) && model.children().isEmpty());
        assertEquals("", ERRORS.toString(StandardCharsets.UTF_8));
    }

    @Test void theCommandLineRunsItAndItsChildrenRunTheSameArguments() throws Exception {
        try (ChildServer s = ChildServer.start(dir, root, List.of(), List.of("--model", "process", "--no-list"))) {
            try (RawClient c = new RawClient(s.address(), (int) WAIT_MILLIS)) {
                assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
                assertEquals(404, c.send(get("/")).read().status(), "the child got --no-list too");
            }
            s.process().destroy(); // SIGTERM
            assertEquals(0, s.awaitExit(60));
        }
    }

    @Test void aStopLetsTheChildFinishAndExitBeforeTheShutdownTimeout() throws Exception {
        TenkServer own = TenkServer.start(TestServer.config(root, "process").with(b -> b.timeouts(RELAXED).accessLog(false)),
                AccessLog.disabled(), new ErrorLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false));
        ProcessModel m = (ProcessModel) own.model();
        try (RawClient c = new RawClient(own.address(), (int) WAIT_MILLIS)) {
            assertEquals("alpha\n", c.send(get("/a.txt")).read().bodyText());
            int pid = m.children().getFirst();
            long t0 = System.nanoTime();
            own.stop();
            // the child drains: its idle kept-alive connection is closed
            assertEquals(-1, c.socket().getInputStream().read());
            own.awaitStopped();
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(took < RELAXED.shutdown().toMillis(), "stopped in " + took + " ms: the child drained, nobody killed it");
            assertTrue(gone(pid));
        } finally {
            own.close();
        }
    }
}
