package io.tenk.model.nio;

import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --model selector --selector epoll-oneshot --threads 3}: three loop threads wait on one
 * set, and many clients at once, each with several kept-alive requests, get exactly their bytes
 * (a report handled by two threads at once, or an accept by two, would garble or lose some). The
 * same conformance suite as every kind runs over it with two threads (NativeEventsConformanceTest).
 */
class LeaderFollowerTest {
    @TempDir Path root;

    @Test void threadsShareOneSetAndServeEveryoneExactly() throws Exception {
        byte[] body = new byte[200_000];
        new Random(11).nextBytes(body);
        Files.write(root.resolve("f.bin"), body);
        try (TestServer s = TestServer.start(TestServer.config(root, "selector/epoll-oneshot/3").with(b -> b.accessLog(false)));
             ExecutorService clients = Executors.newFixedThreadPool(24)) {
            Set<String> loops = ConcurrentHashMap.newKeySet();
            Thread.getAllStackTraces().keySet().forEach(t -> { if (t.getName().startsWith("tenk-selector-")) loops.add(t.getName()); });
            assertEquals(Set.of("tenk-selector-0", "tenk-selector-1", "tenk-selector-2"), loops);
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 48; c++) {
                done.add(clients.submit(() -> {
                    try (RawClient client = s.connect()) {
                        for (int i = 0; i < 5; i++) {
                            client.send("GET /f.bin HTTP/1.1\r\nHost: t\r\n\r\n");
                            HttpReply r = client.read();
                            assertEquals(200, r.status());
                            assertArrayEquals(body, r.body());
                        }
                    }
                    return 5;
                }));
            }
            int served = 0;
            for (Future<Integer> f : done) served += f.get();
            assertEquals(48 * 5, served);
            assertTrue(s.errorLog().isEmpty(), s.errorLog());
        }
    }

    /**
     * A response with {@code Connection: close} closes its socket inside the session, before the
     * loop stops watching it; meanwhile the other thread may accept the next client on the freed
     * descriptor. Deleting the descriptor from the set then silenced that client for good (about
     * one connection in 200 here). One client after another, so each reuses the last descriptor.
     */
    @Test void aClosedConnectionsDescriptorIsNotTakenFromTheNextClient() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        try (TestServer s = TestServer.start(TestServer.config(root, "selector/epoll-oneshot/2").with(b -> b.accessLog(false)))) {
            for (int i = 0; i < 1500; i++) {
                try (RawClient client = new RawClient(s.address(), 2000)) {
                    client.send("GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                    String reply = new String(client.readToEnd(), java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertTrue(reply.startsWith("HTTP/1.1 200 ") && reply.endsWith("\r\n\r\na"), "client " + i + ": " + reply);
                }
            }
            assertTrue(s.errorLog().isEmpty(), s.errorLog());
        }
    }
}
