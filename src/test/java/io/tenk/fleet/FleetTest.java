package io.tenk.fleet;

import io.tenk.support.ChildServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.tenk.fleet.Fleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three tenk processes behind HAProxy (loopback only), with {@code /readyz} on each admin
 * listener as the health check, and wrk driving keep-alive load through HAProxy from before to
 * after what each case does (the load ends once the instances it touched serve again). Not one
 * request fails (wrk counts no socket error and no non-2xx) while every instance reloads a
 * changed config (SIGHUP), while every instance is restarted in turn (SIGTERM, exit, start on the
 * same ports, back in the pool), and while one instance stops (SIGTERM) for good.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(11) // a long class, started early (junit-platform.properties)
class FleetTest {
    static final String CONFIG = """
            [admin]
            listen = "127.0.0.1:0"   # each instance's --admin names its own
            drain_delay = "1s"

            [[site]]
            names = ["*"]
            root = "site"
            headers = { "X-Fleet" = "%s" }
            """;

    Path config;
    Fleet fleet;

    @BeforeAll void startFleet(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.write(root.resolve("1k.bin"), new byte[1024]);
        config = dir.resolve("tenk.toml");
        Files.writeString(config, CONFIG.formatted("v1"));
        fleet = Fleet.start(dir, null, List.of("-c", config.toString()));
    }

    @AfterEach void endLoad() {
        if (fleet != null) fleet.endLoad();
    }

    @AfterAll void stopFleet() throws Exception {
        if (fleet != null) fleet.close();
    }

    @Test @Order(1) void sighupEveryInstanceUnderLoadFailsNoRequest() throws Exception {
        Process wrk = fleet.wrk("/1k.bin");
        long t0 = System.nanoTime();
        awaitServed(1, 500);
        Files.writeString(config, CONFIG.formatted("v2"));
        for (int i = 1; i <= Fleet.SIZE; i++) {
            ChildServer s = fleet.instance(i);
            s.signal("HUP");
            await(() -> "v2".equals(header(s, "X-Fleet")), "the new header from t" + s.address().getPort());
        }
        System.out.printf("FleetTest: all reloaded %.1f s into the run%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(wrk.isAlive(), "the reloads happened under load");
        for (int i = 1; i <= Fleet.SIZE; i++) awaitServed(i, 100); // each serves on, reloaded
        fleet.awaitCleanRun(wrk, "reload");
        for (int i = 1; i <= Fleet.SIZE; i++) assertEquals("UP", fleet.status(i));
    }

    @Test @Order(2) void rollingRestartUnderLoadFailsNoRequest() throws Exception {
        Process wrk = fleet.wrk("/1k.bin");
        long t0 = System.nanoTime();
        for (int i = 1; i <= Fleet.SIZE; i++) {
            awaitServed(i, 100);
            ChildServer leaving = fleet.instance(i);
            leaving.process().destroy(); // SIGTERM
            assertEquals(0, leaving.awaitExit(30), "t" + i + " drains and exits 0");
            fleet.restart(i);
            fleet.awaitStatus(i, "UP");
            awaitServed(i, 100); // back in the pool, serving
            System.out.printf("FleetTest: t%d stopped, started again and back in the pool %.1f s into the run%n",
                    i, (System.nanoTime() - t0) / 1e9);
        }
        fleet.awaitCleanRun(wrk, "roll");
    }

    @Test @Order(3) void sigtermOneInstanceUnderLoadFailsNoRequest() throws Exception {
        Process wrk = fleet.wrk("/1k.bin");
        long t0 = System.nanoTime();
        awaitServed(2, 500); // mid-run
        System.out.printf("FleetTest: SIGTERM to t2 %.1f s into the run%n", (System.nanoTime() - t0) / 1e9);
        ChildServer leaving = fleet.instance(2);
        leaving.process().destroy(); // SIGTERM
        fleet.awaitStatus(2, "DOWN");
        // HAProxy prefixes the last check's status with "* " while the next check is under way
        String check = fleet.field(2, "check_status").replaceFirst("^\\* ", "");
        System.out.printf("FleetTest: t2 out of the pool %.1f s into the run (check: %s)%n", (System.nanoTime() - t0) / 1e9, check);
        assertEquals("L7STS", check, "taken out by /readyz's 503 while it drains, not by a refused connection once gone");
        assertEquals(0, leaving.awaitExit(30), "the instance drains and exits 0");
        awaitServed(1, 100); // the others serve on
        awaitServed(3, 100);
        fleet.awaitCleanRun(wrk, "sigterm");
        assertEquals("UP", fleet.status(1));
        assertEquals("UP", fleet.status(3));
    }

    /** Waits until instance {@code i} has answered {@code n} more 2xx responses than now, through HAProxy. */
    private void awaitServed(int i, long n) throws Exception {
        long start = Long.parseLong(fleet.field(i, "hrsp_2xx"));
        await(() -> Long.parseLong(fleet.field(i, "hrsp_2xx")) >= start + n, "t" + i + " under load");
    }

    /** A response field of {@code GET /1k.bin} straight from instance {@code s} (null when absent). */
    private static String header(ChildServer s, String name) throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.address().getPort() + "/1k.bin")).build(), HttpResponse.BodyHandlers.discarding());
        return r.headers().firstValue(name).orElse(null);
    }
}
