package io.tenk.fleet;

import io.tenk.support.Await;
import io.tenk.support.ChildServer;
import io.tenk.support.Wrk;

import java.io.IOException;
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

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three tenk processes (t1, t2, t3, one event loop and an admin listener each) behind HAProxy on
 * loopback, with {@code /readyz} as the health check: the configuration docs/OPERATIONS.md shows.
 * An instance can be stopped and started again on the same ports; wrk drives load through HAProxy
 * until a case has seen what it waits for.
 */
final class Fleet implements AutoCloseable {
    static final int SIZE = 3;
    /** The longest a load phase may last. */
    static final int LOAD_LIMIT_S = 60;

    static final String HAPROXY_CFG = """
            global
                maxconn 4096

            defaults
                mode http
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                timeout check 2s
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

    private final Path dir;
    private final Path root; // null: the config file in args names the site
    private final List<String> args;
    private final List<ChildServer> tenks = new ArrayList<>();
    private final int front;
    private final int stats;
    private Process haproxy;
    private Process load; // the last wrk started

    private Fleet(Path dir, Path root, List<String> args) throws IOException {
        this.dir = dir;
        this.root = root;
        this.args = args;
        this.front = freePort();
        this.stats = freePort();
    }

    /** Starts the instances ({@code tenk [-d root] --admin 127.0.0.1:0 --threads 1 ARGS}) and HAProxy, and waits until all are UP. */
    static Fleet start(Path dir, Path root, List<String> args) throws Exception {
        Fleet f = new Fleet(dir, root, args);
        try {
            StringBuilder servers = new StringBuilder();
            for (int i = 1; i <= SIZE; i++) {
                ChildServer s = f.launch(0, "127.0.0.1:0");
                f.tenks.add(s);
                servers.append("    server t").append(i).append(" 127.0.0.1:").append(s.address().getPort())
                        .append(" check port ").append(s.adminAddress().getPort()).append('\n');
            }
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, HAPROXY_CFG.formatted(f.front, servers, f.stats));
            f.haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.out").toFile()).start();
            for (int i = 1; i <= SIZE; i++) f.awaitStatus(i, "UP");
            return f;
        } catch (Exception | AssertionError e) {
            f.close();
            throw e;
        }
    }

    private ChildServer launch(int port, String admin) throws IOException {
        List<String> a = new ArrayList<>(List.of("--admin", admin, "--threads", "1"));
        a.addAll(args);
        return ChildServer.start(dir, root, List.of(), a, true, port);
    }

    /** Instance {@code i} (1-based). */
    ChildServer instance(int i) { return tenks.get(i - 1); }

    /** Starts instance {@code i} again on its ports, once the old process has gone. */
    ChildServer restart(int i) throws IOException {
        ChildServer old = instance(i);
        ChildServer s = launch(old.address().getPort(), "127.0.0.1:" + old.adminAddress().getPort());
        tenks.set(i - 1, s);
        return s;
    }

    /** HAProxy's front end. */
    String url(String path) { return "http://127.0.0.1:" + front + path; }

    /**
     * Starts wrk (32 connections, paced: {@link Wrk}) through HAProxy on {@code path}, for at most
     * {@link #LOAD_LIMIT_S} seconds: a case ends the load ({@link #awaitCleanRun}) once what it
     * watches under load is done.
     */
    Process wrk(String path) throws IOException {
        load = Wrk.paced(dir, 32, LOAD_LIMIT_S, url(path), "--latency");
        return load;
    }

    /** Ends the load a failed case left running (a passed case has ended it). */
    void endLoad() {
        if (load != null) load.destroy();
    }

    /**
     * Ends the load of {@code wrk}, which must still run, waits for its report, keeps it in the
     * test's folder, and checks that no request failed; returns the report.
     */
    String awaitCleanRun(Process wrk, String name) throws Exception {
        assertTrue(wrk.isAlive(), name + ": the load lasted until the case ended (" + LOAD_LIMIT_S + " s at most)");
        Wrk.interrupt(wrk);
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(wrk.waitFor(60, TimeUnit.SECONDS));
        Files.writeString(dir.resolve(name + ".wrk.out"), out);
        System.out.println(name + ": wrk through HAProxy:\n" + out);
        assertFalse(out.contains("Socket errors"), out);
        assertFalse(out.contains("Non-2xx"), out);
        assertTrue(requests(out) > 1000, out);
        return out;
    }

    /** The request count of a wrk report. */
    static long requests(String wrkOut) {
        Matcher m = Pattern.compile("(\\d+) requests in").matcher(wrkOut);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    void awaitStatus(int i, String status) throws Exception {
        await(() -> status(i).equals(status), "t" + i + " " + status);
    }

    /** The status HAProxy gives instance {@code i} (UP, DOWN, ...), from its stats CSV. */
    String status(int i) throws Exception {
        return field(i, "status").split(" ")[0];
    }

    /** A column of instance {@code i}'s row in HAProxy's stats CSV ("absent" when there is none yet). */
    String field(int i, String column) throws Exception {
        String csv;
        try {
            csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stats + "/stats;csv"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "absent";
        }
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(",", -1));
        int col = header.indexOf(column);
        for (String line : lines) {
            String[] f = line.split(",", -1);
            if (f.length > col && f[0].equals("tenk") && f[1].equals("t" + i)) return f[col];
        }
        return "absent";
    }

    @Override public void close() throws InterruptedException {
        endLoad();
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
        for (ChildServer s : tenks) s.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void await(Await.Condition c, String what) throws Exception {
        Await.until(c, Duration.ofSeconds(30), what);
    }
}
