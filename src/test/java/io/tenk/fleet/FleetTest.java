package io.tenk.fleet;

import io.tenk.support.ChildServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three tenk processes behind HAProxy (loopback only), with {@code /readyz} on each admin
 * listener as the health check, and wrk driving keep-alive load through HAProxy. One instance
 * gets SIGTERM mid-run: not one request fails (wrk counts no socket error and no non-2xx), the
 * instance leaves the pool, and it exits 0. The configuration is the one docs/OPERATIONS.md shows.
 */
class FleetTest {
    @TempDir Path dir;

    static final String HAPROXY_CFG = """
            global
                maxconn 4096

            defaults
                mode http
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                retries 3
                option redispatch 1
                retry-on all-retryable-errors

            frontend site
                bind 127.0.0.1:%d
                default_backend tenk

            backend tenk
                balance roundrobin
                option httpchk GET /readyz
                http-check expect status 200
                default-server inter 250ms fall 1 rise 2
            %s
            listen stats
                bind 127.0.0.1:%d
                stats enable
                stats uri /stats
            """;

    @Test void sigtermOneInstanceUnderLoadFailsNoRequest() throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.write(root.resolve("1k.bin"), new byte[1024]);
        List<ChildServer> tenks = new ArrayList<>();
        Process haproxy = null;
        try {
            StringBuilder servers = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                ChildServer s = ChildServer.start(dir, root, List.of(),
                        List.of("--admin", "127.0.0.1:0", "--threads", "1", "--drain-delay", "1s"));
                tenks.add(s);
                InetSocketAddress admin = s.adminAddress();
                servers.append("    server t").append(i).append(" 127.0.0.1:").append(s.address().getPort())
                        .append(" check port ").append(admin.getPort()).append('\n');
            }
            int front = freePort(), stats = freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, HAPROXY_CFG.formatted(front, servers, stats));
            haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.out").toFile()).start();
            for (String t : List.of("t1", "t2", "t3")) await(() -> status(stats, t).equals("UP"), t + " in the pool");

            Process wrk = new ProcessBuilder("wrk", "-c", "32", "-t", "1", "-d", "10s", "--latency",
                    "http://127.0.0.1:" + front + "/1k.bin").redirectErrorStream(true).start();
            long t0 = System.nanoTime();
            await(() -> Long.parseLong(field(stats, "t2", "hrsp_2xx")) >= 500, "t2 under load"); // mid-run
            System.out.printf("FleetTest: SIGTERM to t2 %.1f s into the run%n", (System.nanoTime() - t0) / 1e9);
            ChildServer leaving = tenks.get(1);
            leaving.process().destroy(); // SIGTERM
            await(() -> status(stats, "t2").equals("DOWN"), "t2 out of the pool");
            String check = field(stats, "t2", "check_status");
            System.out.printf("FleetTest: t2 out of the pool %.1f s into the run (check: %s)%n", (System.nanoTime() - t0) / 1e9, check);
            assertEquals("L7STS", check, "taken out by /readyz's 503 while it drains, not by a refused connection once gone");
            assertEquals(0, leaving.awaitExit(30), "the instance drains and exits 0");

            String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(wrk.waitFor(60, TimeUnit.SECONDS));
            Files.writeString(dir.resolve("wrk.out"), out);
            System.out.println("FleetTest: wrk through HAProxy, t2 stopped mid-run:\n" + out);
            assertFalse(out.contains("Socket errors"), out);
            assertFalse(out.contains("Non-2xx"), out);
            Matcher m = Pattern.compile("(\\d+) requests in").matcher(out);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 1000, out);
            assertEquals("UP", status(stats, "t1"));
            assertEquals("UP", status(stats, "t3"));
        } finally {
            if (haproxy != null) {
                haproxy.destroy();
                haproxy.waitFor(10, TimeUnit.SECONDS);
            }
            for (ChildServer s : tenks) s.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The status HAProxy gives server {@code name} (UP, DOWN, ...), from its stats CSV. */
    static String status(int statsPort, String name) throws Exception {
        return field(statsPort, name, "status").split(" ")[0];
    }

    /** A column of server {@code name}'s row in HAProxy's stats CSV ("absent" when there is none yet). */
    static String field(int statsPort, String name, String column) throws Exception {
        String csv;
        try {
            csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "absent";
        }
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(",", -1));
        int col = header.indexOf(column);
        for (String line : lines) {
            String[] f = line.split(",", -1);
            if (f.length > col && f[0].equals("tenk") && f[1].equals(name)) return f[col];
        }
        return "absent";
    }

    interface Condition { boolean holds() throws Exception; }

    static void await(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(20); // polling HAProxy's view with a deadline
        }
    }
}
