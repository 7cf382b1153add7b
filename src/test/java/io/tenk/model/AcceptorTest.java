package io.tenk.model;

import io.tenk.config.Timeouts;
import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.http.Limits;
import io.tenk.http.Response;
import io.tenk.http.Status;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptor thread of {@code reactor} and the blocking models, over a real listening socket:
 * it hands each connection on in blocking mode, sleeps while no client comes (it waits on a
 * selector: no timed accept that wakes it ten times a second), and a stop wakes it at once and
 * still hands on what was accepted.
 */
class AcceptorTest {
    private static ServerContext context() {
        Timeouts t = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        return new ServerContext(req -> new Response(Status.OK, new io.tenk.http.Headers(), null),
                new Limits(8192, 65536, 100), t, 1024, AccessLog.disabled(),
                new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false), new ConnectionLimiter(100),
                (what, cause) -> { throw new AssertionError(what, cause); }, Metrics.disabled());
    }

    private record Running(Acceptor acceptor, ServerSocketChannel server, LinkedBlockingQueue<SocketChannel> handedOn, String name) {
        int port() throws IOException { return ((InetSocketAddress) server.getLocalAddress()).getPort(); }
    }

    /** An acceptor on 127.0.0.1, port 0, under a thread name no other test uses (15 characters at most: /proc shows no more). */
    private static Running start() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        LinkedBlockingQueue<SocketChannel> handedOn = new LinkedBlockingQueue<>();
        Acceptor a = new Acceptor(server, handedOn::add, context());
        String name = "acc-" + ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000);
        a.start(name);
        return new Running(a, server, handedOn, name);
    }

    @Test void handsOnEachConnectionInBlockingMode() throws Exception {
        Running r = start();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) clients.add(new Socket("127.0.0.1", r.port()));
            for (int i = 0; i < 3; i++) {
                SocketChannel ch = r.handedOn().poll(10, TimeUnit.SECONDS);
                assertNotNull(ch, "connection " + i + " handed on");
                assertTrue(ch.isBlocking(), "handed on in blocking mode");
                ch.close();
            }
        } finally {
            for (Socket c : clients) c.close();
            r.acceptor().stop();
            r.acceptor().join();
        }
    }

    @Test @EnabledOnOs(OS.LINUX)
    void anIdleAcceptorSleeps() throws Exception {
        Running r = start();
        try {
            try (Socket c = new Socket("127.0.0.1", r.port())) {
                assertNotNull(r.handedOn().poll(10, TimeUnit.SECONDS), "it runs");
            }
            Path status = taskStatus(r.name());
            long before = voluntarySwitches(status);
            // an observation window, not a wait for something: a timed accept would wake five times in it
            Thread.sleep(500);
            long woke = voluntarySwitches(status) - before;
            assertTrue(woke <= 1, "the idle acceptor woke " + woke + " times in 500 ms");
        } finally {
            r.acceptor().stop();
            r.acceptor().join();
        }
    }

    @Test void stopWakesItAndHandsOnWhatWasAccepted() throws Exception {
        Running r = start();
        try (Socket c = new Socket("127.0.0.1", r.port())) {
            r.acceptor().stop();
            long t0 = System.nanoTime();
            r.acceptor().join();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            // unwoken, it would wait on its selector for good: any bound shows the wake
            assertTrue(millis < 5000, "stopped after " + millis + " ms");
            SocketChannel ch = r.handedOn().poll(1, TimeUnit.SECONDS);
            assertNotNull(ch, "the connection made before the stop is handed on, not reset");
            ch.close();
            assertFalse(r.server().isOpen(), "the listening socket is closed");
            assertFalse(r.acceptor().running());
        }
        assertEquals(0, r.handedOn().size());
    }

    /** /proc/self/task/TID/status of this process's thread named {@code name}. */
    private static Path taskStatus(String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(name);
                } catch (IOException e) {
                    return false; // a thread that ended
                }
            }).findFirst().orElseThrow(() -> new AssertionError("no thread named " + name)).resolve("status");
        }
    }

    private static long voluntarySwitches(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("voluntary_ctxt_switches:")) return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
        }
        throw new AssertionError("no voluntary_ctxt_switches in " + status);
    }
}
