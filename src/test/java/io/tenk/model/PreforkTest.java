package io.tenk.model;

import io.tenk.support.ChildJvm;
import io.tenk.support.JvmStarts;
import io.tenk.support.KeepAliveLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code prefork} with real processes: a master started like a user would ({@code tenk --model
 * prefork}), its workers killed with SIGKILL, the master sent SIGHUP and SIGTERM. It runs beside
 * other classes: its bounds (answers counted while a worker is replaced, new workers awaited for
 * up to 90 s) hold on a loaded machine, and its load is paced ({@link KeepAliveLoad}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(6) // a long class, started early (junit-platform.properties)
class PreforkTest {
    @TempDir static Path root;
    /**
     * The master shared by the cases that leave it as they found it (two workers serving): a
     * master and its workers are whole JVMs, started once for those cases. The last case kills
     * it; the other case that stops its master starts its own.
     */
    static Master shared;
    Master own;
    Process master;
    String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Master(Process process, String base) {
        void kill() {
            if (process.isAlive()) {
                List<ProcessHandle> kids = process.descendants().toList();
                process.destroyForcibly();
                kids.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    @BeforeAll static void site() throws IOException {
        Files.writeString(root.resolve("index.html"), "prefork home\n");
    }

    static Master startMaster() throws Exception { return startMaster(0); }

    static Master startMaster(int port) throws Exception {
        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of()));
        cmd.addAll(List.of("--model", "prefork", "--workers", "2", "-p", Integer.toString(port), "-d", root.toString()));
        JvmStarts.Started started = JvmStarts.process(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT));
        Process p = started.process();
        String first = started.first();
        Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/) \\(model prefork\\)").matcher(first == null ? "" : first);
        boolean named = m.find();
        if (!named) p.destroyForcibly();
        assertTrue(named, "the master names its URL: " + first);
        started.drain();
        return new Master(p, m.group(1));
    }

    /** The shared master (started again if a failed case left it dead). */
    void useShared() throws Exception {
        if (shared == null || !shared.process().isAlive()) {
            if (shared != null) shared.kill();
            shared = startMaster();
        }
        use(shared);
    }

    /** A master of this case's own, killed after it. */
    void useOwn() throws Exception {
        own = startMaster();
        use(own);
    }

    private void use(Master m) {
        master = m.process();
        base = m.base();
    }

    @AfterEach void stopOwn() {
        if (own != null) own.kill();
    }

    @AfterAll static void stopShared() {
        if (shared != null) shared.kill();
        shared = null;
    }

    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    private int get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            failures.add(String.valueOf(e));
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Set<Long> workers() {
        return master.children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private Set<Long> awaitWorkers(int n, Set<Long> notThese) throws InterruptedException {
        return awaitWorkers(n, notThese, 30);
    }

    private Set<Long> awaitWorkers(int n, Set<Long> notThese, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Set<Long> w = workers();
        while ((w.size() != n || w.stream().anyMatch(notThese::contains)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            w = workers();
        }
        return w;
    }

    /** Waits (at most 10 s) until {@code ok} has counted {@code n} answers. */
    private static void awaitAnswered(AtomicInteger ok, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ok.get() < n && System.nanoTime() < deadline) Thread.sleep(10);
    }

    private static void signal(long pid, String sig) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor());
    }

    @Test void servesThroughItsWorkers() throws Exception {
        useShared();
        assertEquals(2, awaitWorkers(2, Set.of()).size());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("prefork home\n", r.body());
        for (int i = 0; i < 50; i++) assertEquals(200, get("/"));
        assertEquals(404, get("/missing"));
    }

    @Test void aKilledWorkerIsReplacedAndRequestsKeepBeingAnswered() throws Exception {
        useShared();
        Set<Long> before = awaitWorkers(2, Set.of());
        assertEquals(2, before.size());
        long victim = before.iterator().next();
        signal(victim, "KILL");
        // while the master replaces it, the other worker keeps answering (a request that was on the
        // killed worker's connection may fail; the rest are answered)
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        long until = System.nanoTime() + 30_000_000_000L;
        while (ok.get() <= 10 && System.nanoTime() < until) {
            if (get("/") == 200) ok.incrementAndGet(); else failed.incrementAndGet();
        }
        assertTrue(ok.get() > 10, "answered " + ok + ", failed " + failed);
        Set<Long> after = awaitWorkers(2, Set.of(victim));
        assertEquals(2, after.size(), "a new worker appeared: " + after);
        assertFalse(after.contains(victim));
        for (int i = 0; i < 20; i++) assertEquals(200, get("/"));
    }

    @Test void sighupReplacesEveryWorkerWithoutFailingARequest() throws Exception {
        useShared();
        Set<Long> before = awaitWorkers(2, Set.of());
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        Thread load = Thread.ofPlatform().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                int status = get("/");
                if (Thread.currentThread().isInterrupted()) break; // the request was cut by the end of the test
                if (status == 200) ok.incrementAndGet(); else failed.incrementAndGet();
            }
        });
        try {
            awaitAnswered(ok, 10); // the load is running before the roll
            signal(master.pid(), "HUP");
            Set<Long> after = awaitWorkers(2, before);
            assertEquals(2, after.size());
            assertTrue(after.stream().noneMatch(before::contains), "every worker was replaced: " + before + " → " + after);
            awaitAnswered(ok, ok.get() + 10); // and the new workers answer it
        } finally {
            load.interrupt();
            load.join(10_000);
        }
        assertEquals(0, failed.get(), "no request failed during the roll (" + ok + " answered): " + failures);
        assertTrue(ok.get() > 20, "answered " + ok);
    }

    @Test void rollsUnderKeepAliveLoadFailNoRequest() throws Exception {
        useShared();
        Set<Long> workers = awaitWorkers(2, Set.of());
        assertEquals(2, workers.size());
        var address = new java.net.InetSocketAddress("127.0.0.1", URI.create(base).getPort());
        try (KeepAliveLoad load = new KeepAliveLoad(address, "/", "prefork home\n").start(8)) {
            for (int roll = 0; roll < 3; roll++) {
                int before = load.answered();
                signal(master.pid(), "HUP");
                Set<Long> fresh = awaitWorkers(2, workers, 90); // a roll starts two JVMs, one after the other
                assertTrue(fresh.stream().noneMatch(workers::contains), "roll " + roll + " replaced " + workers + " → " + fresh);
                workers = fresh;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (load.answered() < before + 50 && System.nanoTime() < deadline) Thread.sleep(20);
            }
            assertEquals(List.of(), load.failures(), "answered " + load.answered() + ", retired " + load.retired());
            assertTrue(load.retired() >= 8, "the old workers' connections were retired with Connection: close: " + load.retired());
        }
    }

    @Test void sigtermStopsTheMasterAndEveryWorkerWithExitCode0() throws Exception {
        useOwn();
        Set<Long> kids = awaitWorkers(2, Set.of());
        assertEquals(2, kids.size());
        assertEquals(200, get("/"));
        signal(master.pid(), "TERM");
        assertTrue(master.waitFor(30, TimeUnit.SECONDS), "the master stops");
        assertEquals(0, master.exitValue());
        for (long pid : kids) {
            var h = ProcessHandle.of(pid);
            if (h.isPresent()) assertTrue(h.get().onExit().get(5, TimeUnit.SECONDS) != null);
        }
        assertTrue(kids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
                "no worker outlives the master");
    }

    /**
     * Connections another server closed linger on its port in TIME_WAIT for up to a minute after it
     * stops (a reactor's, nginx's: sockets without SO_REUSEPORT); a prefork master must start on
     * that port anyway, as the other models do.
     */
    @Test void startsOnAPortAnotherServerJustLeft() throws Exception {
        int port;
        try (java.net.ServerSocket other = new java.net.ServerSocket()) {
            other.setReuseAddress(true); // as servers do
            other.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            port = other.getLocalPort();
            for (int i = 0; i < 3; i++) {
                try (java.net.Socket client = new java.net.Socket("127.0.0.1", port)) {
                    other.accept().close(); // the server closes first: its side waits in TIME_WAIT
                    assertEquals(-1, client.getInputStream().read());
                }
            }
        }
        own = startMaster(port);
        use(own);
        assertEquals("http://127.0.0.1:" + port + "/", base);
        assertEquals(200, get("/"));
    }

    @Test @Order(Integer.MAX_VALUE) // the last: it kills the shared master
    void noWorkerOutlivesAKilledMaster() throws Exception {
        useShared();
        Set<Long> kids = awaitWorkers(2, Set.of());
        signal(master.pid(), "KILL");
        assertTrue(master.waitFor(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (kids.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(kids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
                "workers exit when their master's pipe closes");
        assertNotEquals(200, get("/"), "nothing listens any more");
    }
}
