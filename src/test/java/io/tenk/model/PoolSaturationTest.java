package io.tenk.model;

import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** pool with 2 threads and a queue of 2: the 5th and 6th held connections get 503, the rest are served in turn. */
class PoolSaturationTest {
    @TempDir Path root;

    static final String GET = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test void connectionsBeyondThreadsAndQueueGet503() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        try (TestServer server = TestServer.start(TestServer.config(root, "pool").with(b -> b.threads(2).queue(2).accessLog(false)));
             RawClient a = server.connect(); RawClient b = server.connect();
             RawClient c = new RawClient(server.address(), 300); RawClient d = new RawClient(server.address(), 300)) {
            // a and b hold the two threads (kept alive)
            assertEquals(200, a.send(GET).read().status());
            assertEquals(200, b.send(GET).read().status());
            // c and d wait in the queue: no answer yet
            c.send(GET);
            d.send(GET);
            assertThrows(IOException.class, c::read);
            assertThrows(IOException.class, d::read);
            // e and f find the queue full
            for (int i = 0; i < 2; i++) {
                try (RawClient e = server.connect()) {
                    HttpReply r = e.send(GET).read();
                    assertEquals(503, r.status());
                    assertEquals("close", r.header("Connection"));
                    e.readToEnd(); // and the server closes
                }
            }
            // a leaves: c gets its thread and its answer
            a.close();
            c.socket().setSoTimeout(5000);
            assertEquals("alpha\n", c.read().bodyText());
            assertEquals(200, b.send(GET).read().status());
        }
    }
}
