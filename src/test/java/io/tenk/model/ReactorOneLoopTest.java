package io.tenk.model;

import io.tenk.config.ModelKind;
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
            // someone waiting for the server to stop does not stop it
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    server.awaitStopped();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long until = System.nanoTime() + 10_000_000_000L;
            while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < until) Thread.onSpinWait();
            assertEquals(Thread.State.WAITING, waiter.getState(), "the waiter waits");
            assertFalse(threadNamed("tenk-reactor-accept-" + server.address().getPort()), "no acceptor thread with one loop");

            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"); // after the waiter started
            List<HttpReply> two = c.read(2);
            assertEquals(200, two.get(0).status());
            assertEquals("alpha", two.get(1).bodyText());

            // requests sent while the server stops are still answered; the loop sees the stop soon
            // (it is asynchronous), and from then on a response says Connection: close and ends it
            server.stop();
            HttpReply last = null;
            for (int i = 0; i < 1000 && (last == null || !last.rawHead().contains("Connection: close")); i++) {
                last = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, last.status());
            }
            assertTrue(last.rawHead().contains("Connection: close"), last.rawHead());
            assertEquals(0, c.readToEnd().length, "then the connection ends");
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "the stop ended the wait");
        }
    }
}
