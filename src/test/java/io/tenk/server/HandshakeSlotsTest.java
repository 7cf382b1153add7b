package io.tenk.server;

import io.tenk.config.TlsConfig;
import io.tenk.support.Await;
import io.tenk.support.ChildServer;
import io.tenk.support.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cap on TLS handshakes under way at once (a flood of ClientHellos must not fill the heap), set
 * to two (one in the timeout case): two clients that stop after a handshake's first bytes hold both slots. On an event loop
 * a third client's handshake waits for a slot (neither answered nor closed) and completes once one
 * of the two goes; a model with a thread per connection closes the third instead. Servers in
 * JVMs of their own, so the limit is theirs.
 */
class HandshakeSlotsTest {
    @TempDir Path dir;

    /** The first bytes of a TLS record carrying a ClientHello, and no more. */
    static final byte[] HELLO_START = {0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, (byte) 0xfc, 0x03, 0x03};

    @Test void onAnEventLoopAHandshakePastTheLimitWaitsForASlot() throws Exception {
        TestCerts certs = new TestCerts(dir);
        try (ChildServer s = start(certs, "reactor")) {
            InetSocketAddress at = s.address();
            List<Socket> stalled = stall(at);
            try {
                // a handshake that came before the server read a stalled one's bytes took a free
                // slot and completed: once both slots are held, the next one waits (a second
                // without completing or failing)
                CompletableFuture<Boolean> waiting = null;
                for (int i = 0; i < 20 && waiting == null; i++) {
                    CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> handshakes(certs, at, 30_000));
                    try {
                        assertTrue(next.get(1, TimeUnit.SECONDS), "a handshake before the limit is served");
                    } catch (TimeoutException e) {
                        waiting = next;
                    }
                }
                assertNotNull(waiting, "a handshake past the limit waits for a slot");
                stalled.getFirst().close(); // one slot given back: the waiting handshake gets it
                assertTrue(waiting.get(30, TimeUnit.SECONDS), "the waiting handshake completes once a slot is free");
            } finally {
                for (Socket c : stalled) c.close();
            }
            assertTrue(handshakes(certs, at, 10_000));
        }
    }

    /**
     * The wait for a slot is the server's, not the client's: with one slot and a header timeout of
     * two seconds, stalled clients hold the slot two seconds each, one after the other, and a real
     * handshake queued behind two of them (four seconds of waiting) still completes, since its
     * header timeout counts from its slot. Three stall, and the real one starts once the server
     * has closed the first of them: by then the other two have long been queued (in whichever
     * order the server's loops saw them), so it is behind both.
     */
    @Test void theWaitForASlotDoesNotCountAgainstTheHeaderTimeout() throws Exception {
        TestCerts certs = new TestCerts(dir);
        try (ChildServer s = start(certs, "reactor", 1, "2s")) {
            InetSocketAddress at = s.address();
            List<Socket> stalled = stall(at, 3);
            try {
                Await.until(() -> stalled.stream().anyMatch(HandshakeSlotsTest::closedByServer), Duration.ofSeconds(10),
                        "the server closes the stalled client that held the slot");
                long start = System.nanoTime();
                assertTrue(handshakes(certs, at, 30_000), "a handshake queued behind two stalled ones completes");
                long waited = (System.nanoTime() - start) / 1_000_000;
                assertTrue(waited >= 3_000, "it waited for both stalled clients' timeouts, not " + waited + " ms");
            } finally {
                for (Socket c : stalled) c.close();
            }
        }
    }

    @Test void withAThreadPerConnectionAHandshakePastTheLimitIsRefused() throws Exception {
        TestCerts certs = new TestCerts(dir);
        try (ChildServer s = start(certs, "threads")) {
            InetSocketAddress at = s.address();
            List<Socket> stalled = stall(at);
            try {
                // a handshake that came before the server read a stalled one's bytes took a free
                // slot, and the stalled one was refused: stall another in its place; once both
                // slots are held by stalled clients, a new handshake is refused
                Await.until(() -> {
                    restall(stalled, at);
                    return !handshakes(certs, at, 10_000);
                }, Duration.ofSeconds(30), "a handshake past the limit is refused");
            } finally {
                for (Socket c : stalled) c.close();
            }
            Await.until(() -> handshakes(certs, at, 10_000), Duration.ofSeconds(30), "handshakes are served once slots are free");
        }
    }

    private ChildServer start(TestCerts certs, String model) throws IOException {
        return start(certs, model, 2, "60s");
    }

    private ChildServer start(TestCerts certs, String model, int slots, String headerTimeout) throws IOException {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("index.html"), "tls\n");
        TlsConfig tls = certs.issue("server");
        return ChildServer.start(dir, root, List.of("-Dtenk.tls.maxHandshakes=" + slots),
                List.of("--model", model, "--tls-cert", tls.cert().toString(), "--tls-key", tls.key().toString(),
                        "--header-timeout", headerTimeout), true);
    }

    /** Two clients that send a ClientHello's first bytes and stop: each holds a slot. */
    private static List<Socket> stall(InetSocketAddress at) throws IOException {
        List<Socket> stalled = stall(at, 2);
        assertEquals(2, stalled.size());
        return stalled;
    }

    /** {@code n} clients that send a ClientHello's first bytes and stop. */
    private static List<Socket> stall(InetSocketAddress at, int n) throws IOException {
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket c = new Socket(at.getAddress(), at.getPort());
            stalled.add(c);
            OutputStream out = c.getOutputStream();
            out.write(HELLO_START);
            out.flush();
        }
        return stalled;
    }

    /** Whether the server has closed this stalled client (it never answers a partial ClientHello). */
    private static boolean closedByServer(Socket c) {
        try {
            c.setSoTimeout(1);
            return c.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false; // still open
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Replaces the stalled clients that the server closed. */
    private static void restall(List<Socket> stalled, InetSocketAddress at) throws IOException {
        for (int i = 0; i < stalled.size(); i++) {
            Socket c = stalled.get(i);
            if (!closedByServer(c)) continue; // still open, holding its slot
            c.close();
            Socket again = new Socket(at.getAddress(), at.getPort());
            stalled.set(i, again);
            again.getOutputStream().write(HELLO_START);
        }
    }

    /** Whether a full handshake with the server completes within {@code timeoutMillis}. */
    static boolean handshakes(TestCerts certs, InetSocketAddress at, int timeoutMillis) {
        try (SSLSocket c = certs.connectFresh(at, "localhost", timeoutMillis)) {
            return c.getSession().isValid();
        } catch (IOException e) {
            return false;
        }
    }
}
