package io.tenk.model;

import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * prefork's workers log in their own processes and the master forwards their lines:
 * {@code TenkServer.flushAccessLog()} returns only once every line logged before it is in the
 * master's log, so a caller can read the log at once, without waiting for the workers' flushers.
 */
class PreforkAccessLogTest {
    @TempDir Path root;

    @Test void flushBringsInEveryWorkersLinesAtOnce() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        try (TestServer s = TestServer.start(TestServer.config(root, "prefork"))) {
            for (int round = 1; round <= 3; round++) {
                // a response is logged before its connection closes: every line is in the worker's log
                try (RawClient c = s.connect()) {
                    c.send("GET /a.txt?round=" + round + " HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readToEnd();
                }
                String log = s.accessLog(); // no polling: the flush waits for the workers' answers
                String line = "\"GET /a.txt?round=" + round + " HTTP/1.1\" 200 ";
                assertEquals(2 * round, log.lines().count(), log);
                assertEquals(1, log.lines().filter(l -> l.contains(line)).count(), log);
            }
        }
    }
}
