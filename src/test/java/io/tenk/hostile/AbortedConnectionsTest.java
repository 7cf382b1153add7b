package io.tenk.hostile;

import io.tenk.support.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Five thousand connections that end abruptly (reset at every stage of a request) leave no
 * descriptor and no heap behind. Measures this JVM's descriptors and heap, so it runs in a JVM of
 * its own that {@code InOwnJvmTest} starts with the run (tag "own-jvm" keeps it out of the shared
 * one).
 */
@Isolated
@Tag("own-jvm")
class AbortedConnectionsTest {
    /**
     * Connections per model, and the heap they may leave behind: one descriptor kept per
     * connection, or some 420 bytes of heap (a session and its parser are more), would show.
     */
    static final int CONNECTIONS = 5_000;
    static final long HEAP_SLACK = 2L << 20;

    @TempDir Path root;

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void abortedConnectionsLeaveNoTrace(String model) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(model.equals("prefork"),
                "prefork's workers are other processes: this JVM's descriptors and heap are not theirs");
        try (TestServer s = TestServer.start(TestServer.config(root).with(b -> TestServer.model(b, model).accessLog(false)))) {
            Files.writeString(root.resolve("a.txt"), "alpha\n");
            InetSocketAddress addr = s.address();
            FaultsTest.stillServes(s);
            // one full collection per measurement: the bound below is retried, which absorbs the noise
            long fd0 = FaultsTest.fdCount(), heap0 = FaultsTest.heapAfterGc(1);
            for (int i = 0; i < CONNECTIONS; i++) {
                try (Socket sock = new Socket()) {
                    sock.connect(addr, 2000);
                    sock.setSoLinger(true, 0); // RST on close: no TIME_WAIT pile-up on the client side
                    switch (i % 4) {
                        case 0 -> { }
                        case 1 -> sock.getOutputStream().write("GET /a.txt HTTP/1.1\r\nHo".getBytes(StandardCharsets.ISO_8859_1));
                        case 2 -> sock.getOutputStream().write("POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab".getBytes(StandardCharsets.ISO_8859_1));
                        default -> sock.getOutputStream().write("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
            }
            // the server has accepted every connection (a model that starts a thread for each
            // accepts more slowly than they come) and closed them all
            long deadline = System.nanoTime() + 30_000_000_000L;
            long fd = FaultsTest.fdCount(), queued = ConnectionMemoryTest.receiveQueues(addr, "0A"); // 0A: LISTEN
            while ((fd > fd0 + 5 || queued > 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                fd = FaultsTest.fdCount();
                queued = ConnectionMemoryTest.receiveQueues(addr, "0A");
            }
            assertEquals(0, queued, () -> "connections still waiting to be accepted; " + acceptors() + "\nerror log:\n" + s.errorLog());
            assertTrue(fd <= fd0 + 5, "descriptors: " + fd0 + " before, " + fd + " after");
            // threads that served the aborted connections may still be winding down: give them time
            long heap = FaultsTest.heapAfterGc(1);
            deadline = System.nanoTime() + 10_000_000_000L;
            while (heap - heap0 >= HEAP_SLACK && System.nanoTime() < deadline) {
                Thread.sleep(250);
                heap = FaultsTest.heapAfterGc(1);
            }
            assertTrue(heap - heap0 < HEAP_SLACK, CONNECTIONS + " aborted connections: heap " + heap0 + " before, " + heap + " after");
            FaultsTest.stillServes(s);
        }
    }

    /** What the server's acceptor threads are doing, for a failure's message. */
    static String acceptors() {
        StringBuilder b = new StringBuilder("acceptor threads:");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (!t.getName().contains("-accept")) return;
            b.append("\n  ").append(t.getName()).append(' ').append(t.getState());
            for (int i = 0; i < Math.min(12, stack.length); i++) b.append("\n    at ").append(stack[i]);
        });
        return b.toString();
    }
}
