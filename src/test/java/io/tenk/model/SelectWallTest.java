package io.tenk.model;

import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * select(2)'s wall: an fd_set has 1,024 bits, so the {@code select} event source cannot watch a
 * connection whose descriptor is 1,024 or more. Such a connection gets a 503 and is closed (one
 * error-log line a second says why); those below the wall are served and stay served, and the
 * server goes on once descriptors are free again. The clients live in this JVM too, so each
 * connection costs two descriptors here and the wall comes after about 500. Isolated: the
 * descriptors of tests running beside it would move the wall, and its own would push theirs past it.
 */
@Isolated
class SelectWallTest {
    private static final int CONNECTIONS = 1100;
    @TempDir Path root;

    @Test void connectionsPastTheWallAreRefusedAndTheRestServed() throws Exception {
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getMaxFileDescriptorCount() : 1024;
        assumeTrue(limit >= 4 * CONNECTIONS, "this JVM may open " + limit + " descriptors (ulimit -n; ./test raises it)");
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        try (TestServer server = TestServer.start(TestServer.config(root, "selector/select")
                .with(b -> b.accessLog(false).maxConnections(4 * CONNECTIONS)))) {
            List<RawClient> clients = new ArrayList<>();
            List<Integer> statuses = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    RawClient c = new RawClient(server.address(), 10_000);
                    clients.add(c);
                    HttpReply r = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
                    statuses.add(r.status());
                    if (r.status() == 503) assertArrayEquals(new byte[0], c.readToEnd(), "a refused connection is closed");
                    else assertEquals("alpha\n", r.bodyText());
                }
                int served = statuses.indexOf(503);
                assertTrue(served >= 300, "served " + served + " before the first refusal: " + statuses);
                // past the wall connections are refused, as long as the descriptors below it stay
                // taken (a descriptor this JVM frees elsewhere may let one more in)
                long refused = statuses.stream().filter(s -> s == 503).count();
                assertTrue(refused >= CONNECTIONS / 2, refused + " refused: " + statuses);
                assertEquals(CONNECTIONS, refused + statuses.stream().filter(s -> s == 200).count(), "only 200 or 503");
                // those below the wall are still served, on the same connections
                for (RawClient c : List.of(clients.get(0), clients.get(served - 1))) {
                    assertEquals("alpha\n", c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText());
                }
                String log = server.errorLog();
                assertTrue(log.contains("past select(2)'s limit of 1024"), log);
                assertTrue(log.lines().count() < refused, "the refusals' log lines are rate-limited:\n" + log);
            } finally {
                for (RawClient c : clients) c.close();
            }
            // descriptors freed: new connections are served again (the server closes its ends as it sees the clients go)
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (true) {
                try (RawClient c = new RawClient(server.address(), 10_000)) {
                    if (c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status() == 200) break;
                } catch (IOException e) {
                    // refused and reset: try again
                }
                assertTrue(System.nanoTime() < deadline, "not served again within 20 s after the clients closed");
                Thread.sleep(20);
            }
        }
    }
}
