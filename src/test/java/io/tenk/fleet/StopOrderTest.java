package io.tenk.fleet;

import io.tenk.support.ChildServer;
import io.tenk.support.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order of a stop, seen from outside: after SIGTERM, {@code /readyz} answers 503 while the
 * main port still accepts and serves ({@code [admin] drain_delay}), and only then does the port
 * close; the process exits 0.
 */
class StopOrderTest {
    @TempDir Path dir;

    /** One look: what /readyz answered (0: no answer), then whether the main port took a request and answered it. */
    record Look(int readyz, boolean served) {}

    @Test void readyzTurns503BeforeTheListeningSocketCloses() throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("a.txt"), "alpha");
        Path config = dir.resolve("tenk.toml");
        Files.writeString(config, """
                [admin]
                listen = "127.0.0.1:0"
                drain_delay = "1s"

                [[site]]
                names = ["*"]
                root = "site"
                """);
        try (ChildServer s = ChildServer.start(dir, null, List.of(), List.of("-c", config.toString()))) {
            assertEquals(new Look(200, true), look(s));
            s.process().destroy(); // SIGTERM
            List<Look> looks = new ArrayList<>();
            long deadline = System.nanoTime() + 20_000_000_000L;
            Look l;
            do {
                l = look(s);
                looks.add(l);
            } while (l.served() && System.nanoTime() < deadline); // polling until the port no longer serves
            int first503 = looks.indexOf(new Look(503, true));
            assertTrue(first503 >= 0, "a 503 from /readyz while the port still served: " + looks);
            for (Look before : looks.subList(0, first503)) assertEquals(new Look(200, true), before, looks.toString());
            assertTrue(!l.served(), "the port closes in the end: " + looks);
            assertEquals(0, s.awaitExit(30));
            System.out.printf("StopOrderTest: %d looks after SIGTERM, the first 503 at look %d, the port closed at look %d%n",
                    looks.size(), first503 + 1, looks.size());
        }
    }

    /** Asks /readyz, then sends GET /a.txt to the main port on a new connection. */
    private static Look look(ChildServer s) {
        int readyz;
        try (RawClient c = new RawClient(s.adminAddress(), 5000)) {
            readyz = c.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n").read().status();
        } catch (IOException e) {
            readyz = 0;
        }
        boolean served;
        try (RawClient c = new RawClient(s.address(), 5000)) {
            served = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().status() == 200;
        } catch (IOException e) {
            served = false;
        }
        return new Look(readyz, served);
    }
}
