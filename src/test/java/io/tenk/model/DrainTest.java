package io.tenk.model;

import io.tenk.config.Timeouts;
import io.tenk.support.KeepAliveLoad;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping (SIGTERM) drains every model gracefully: clients sending requests back to back on
 * kept-alive connections get every request answered, the last one with {@code Connection: close};
 * a connection idle between requests is closed without a byte.
 */
class DrainTest {
    @TempDir Path root;

    @ParameterizedTest @MethodSource("io.tenk.support.TestServer#modelNames")
    void stoppingAnswersEveryRequestInFlightAndClosesIdleConnections(String model) throws Exception {
        Assumptions.assumeFalse(model.equals("prefork"),
                "prefork's workers drain with the reactor's code in their own processes: PreforkTest rolls them under keep-alive load");
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Timeouts t = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        boolean oneAtATime = model.equals("iterative");
        try (TestServer s = TestServer.start(TestServer.config(root, t).with(b -> TestServer.model(b, model).accessLog(false)))) {
            RawClient idle = null;
            if (!oneAtATime) {
                idle = new RawClient(s.address(), 10_000);
                assertEquals(200, idle.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            try (KeepAliveLoad load = new KeepAliveLoad(s.address(), "/a.txt", "alpha\n").noReconnect().start(oneAtATime ? 1 : 4)) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (load.answered() < 50 && System.nanoTime() < deadline) Thread.sleep(10);
                assertTrue(load.answered() >= 50, "served " + load.answered() + " before the stop");
                s.stop();
                assertTrue(load.awaitEnded(10_000), "every client saw Connection: close");
                assertEquals(List.of(), load.failures(), "answered " + load.answered());
                assertEquals(oneAtATime ? 1 : 4, load.retired());
            }
            if (idle != null) {
                try (RawClient c = idle) {
                    assertEquals(0, c.readToEnd().length, "an idle connection is closed without a byte");
                }
            }
        }
    }
}
