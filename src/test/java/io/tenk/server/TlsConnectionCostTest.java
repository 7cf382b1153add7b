package io.tenk.server;

import io.tenk.config.TlsConfig;
import io.tenk.support.ChildServer;
import io.tenk.support.RawClient;
import io.tenk.support.Strace;
import io.tenk.support.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new TLS connection asks of the kernel and of the process, seen with strace(1) attached
 * to a child tenk ({@code reactor}): the server's handshake flight leaves in one write, then the
 * session ticket, the response and close_notify: at most four writes for a whole connection (full
 * handshake, one request, {@code Connection: close}), not one per record. And with one handshake
 * at a time, the event loop runs the handshake's key exchange and signature itself: the process
 * never starts a thread of the offload pool. Skipped where strace is not installed.
 */
class TlsConnectionCostTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** An accept that returned a descriptor; strace splits a call that another thread interrupted ({@code <... accept4 resumed>}). */
    private static final Pattern ACCEPTED = Pattern.compile("(accept4?\\(\\d+, |<\\.\\.\\. accept4? resumed>).*\\) = (\\d+)$");
    /** A write's descriptor and the bytes asked to be written (the call may fail: a closed peer). */
    private static final Pattern WRITE = Pattern.compile("write\\((\\d+), .*, (\\d+)(\\)| <unfinished)");
    /** A write of the last response (the client said close), held for the FIN: send(2) with MSG_MORE. */
    private static final Pattern SEND = Pattern.compile("sendto\\((\\d+), .*, (\\d+), MSG_MORE, NULL, 0");
    private static final int CONNECTIONS = 4;

    @TempDir Path dir;

    @Test void theFlightLeavesInOneWriteAndTheHandshakeRunsOnTheLoop() throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("index.html"), "tls\n".repeat(300));
        TestCerts certs = new TestCerts(dir);
        TlsConfig tls = certs.issue("server");
        try (ChildServer s = ChildServer.start(dir, root, List.of(),
                List.of("--model", "reactor", "--tls-cert", tls.cert().toString(), "--tls-key", tls.key().toString()))) {
            String trace = Strace.traced(s.process().pid(), "accept,accept4,write,sendto", dir, LIMIT, () -> {
                for (int i = 0; i < CONNECTIONS; i++) {
                    // a full handshake each: no session kept from the one before
                    try (RawClient c = new RawClient(certs.connectFresh(s.address(), "localhost"))) {
                        c.send("GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                        assertEquals("tls\n".repeat(300), c.read().bodyText());
                    }
                }
            });
            Map<String, List<Integer>> writes = writesByConnection(trace);
            assertEquals(CONNECTIONS, writes.size(), trace);
            for (List<Integer> sizes : writes.values()) {
                // the flight; the ticket (with the response when the request came in the same read
                // as the client's Finished; this client sends them apart); the response; close_notify
                // (unless the client left first). A write per record was six.
                assertTrue(sizes.size() >= 2 && sizes.size() <= 4, "writes of one connection (bytes each): " + sizes);
                assertTrue(sizes.get(0) > 500, "ServerHello to Finished, the certificate among them, in one write: " + sizes);
            }
            List<String> threads = Strace.threadNames(s.process().pid());
            assertFalse(threads.stream().anyMatch(t -> t.startsWith("tenk-offload")), "threads: " + threads);
        }
    }

    /** The sizes written to each accepted connection, in order (a descriptor reused after a close counts anew). */
    private static Map<String, List<Integer>> writesByConnection(String trace) {
        Map<String, List<Integer>> byConnection = new TreeMap<>();
        Map<String, String> current = new TreeMap<>(); // descriptor -> its connection now
        int n = 0;
        for (String line : trace.lines().toList()) {
            Matcher a = ACCEPTED.matcher(line);
            if (a.find()) {
                String connection = "connection " + (++n) + " (fd " + a.group(2) + ")";
                current.put(a.group(2), connection);
                byConnection.put(connection, new ArrayList<>());
                continue;
            }
            Matcher w = WRITE.matcher(line);
            if (!w.find() && !(w = SEND.matcher(line)).find()) continue;
            if (current.containsKey(w.group(1))) byConnection.get(current.get(w.group(1))).add(Integer.parseInt(w.group(2)));
        }
        return byConnection;
    }
}
