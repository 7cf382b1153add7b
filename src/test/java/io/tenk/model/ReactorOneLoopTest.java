package io.tenk.model;

import io.tenk.TenkServer;
import io.tenk.config.ModelKind;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reactor with one loop accepts on that loop, with no acceptor thread, and still serves
 * pipelined keep-alive requests and finishes them when it stops. Isolated: it looks at the
 * process's threads, which another server in this JVM would add to.
 */
@Isolated
class ReactorOneLoopTest {
    @TempDir Path root;

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test void oneLoopAcceptsForItselfAndDrainsOnStop() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        try (TestServer server = TestServer.start(TestServer.config(root).with(b -> b.model(ModelKind.REACTOR).threads(1)));
             RawClient c = server.connect()) {
            assertTrue(threadNamed("tenk-loop-0"), "the loop runs");
            assertFalse(threadNamed("tenk-reactor-accept"), "no acceptor thread with one loop");

            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            List<HttpReply> two = c.read(2);
            assertEquals(200, two.get(0).status());
            assertEquals("alpha", two.get(1).bodyText());

            // a request sent as the server stops is still answered, with Connection: close
            server.stop();
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpReply last = c.read();
            assertEquals(200, last.status());
            assertTrue(last.rawHead().contains("Connection: close"), last.rawHead());
        }
    }

    /** The command line waits for the stop from the moment it has started: the wait must not be what stops it. */
    @Test void waitingForTheStopLeavesItServing() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        try (TenkServer server = TenkServer.start(TestServer.config(root).with(b -> b.model(ModelKind.REACTOR).threads(1)),
                AccessLog.disabled(), new ErrorLog(System.err, false))) {
            Thread waiter = Thread.ofPlatform().daemon().start(() -> {
                try {
                    server.awaitStopped();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (waiter.getState() != Thread.State.WAITING && waiter.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5); // polling: until it waits in the join (or has returned: the failure)
            }
            try (RawClient c = new RawClient(server.address())) {
                c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, c.read().status());
            }
            assertTrue(waiter.isAlive(), "still serving while someone waits for the stop");
            server.stop();
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "the wait ends with the stop");
        }
    }
}
