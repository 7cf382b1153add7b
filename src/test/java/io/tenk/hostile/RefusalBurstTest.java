package io.tenk.hostile;

import io.tenk.config.Timeouts;
import io.tenk.model.Refuser;
import io.tenk.support.ChildServer;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A burst of connections far past {@code --max-connections}, each sending a request and staying
 * open: the server's descriptors stay bounded (the admitted, plus at most
 * {@link Refuser#MAX_LINGERING} refused sockets lingering for their client to read the 503),
 * every refused client gets a 503 or a close (never silence), and the admitted keep being
 * served. The server's sockets are counted in {@code /proc/net/tcp} and {@code tcp6}: those whose
 * local port is the server's and that a process holds open (a socket closed and waiting out TCP's
 * states, or one the kernel queued and nobody accepted, has no inode there).
 */
@org.junit.jupiter.api.parallel.Isolated // holds thousands of sockets and counts descriptors
@EnabledOnOs(OS.LINUX)
class RefusalBurstTest {
    private static final int LIMIT = 10;
    private static final String REQUEST = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";

    @TempDir Path dir;

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void refusedConnectionsCostBoundedDescriptors(String model) throws Exception {
        assumeFalse(model.equals("iterative"), "iterative serves one connection at a time: the rest wait unaccepted");
        int burst = (int) Math.min(2000, descriptorLimit() - 500);
        assumeTrue(burst >= 1000, "this JVM may open " + descriptorLimit() + " descriptors (ulimit -n): too few for the burst");
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        if (model.equals("prefork")) {
            try (ChildServer s = ChildServer.start(dir, root, List.of(),
                    List.of("--model", "prefork", "--workers", "2", "--max-connections", Integer.toString(LIMIT),
                            "--idle-timeout", "2m"))) {
                List<Long> workers = s.children();
                assertEquals(2, workers.size(), "workers: " + workers);
                check(s.address(), burst, workers.size());
            }
        } else {
            // the admitted must not idle out while the burst is made (seconds on a busy machine)
            var config = TestServer.config(root, new Timeouts(Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofMinutes(2),
                            Duration.ofMinutes(2), Duration.ofSeconds(1)))
                    .with(b -> {
                        TestServer.model(b, model).accessLog(false).maxConnections(LIMIT);
                        if (model.equals("pool")) b.threads(4 * LIMIT); // a thread for every admitted connection
                    });
            try (TestServer s = TestServer.start(config)) {
                check(s.address(), burst, 1);
            }
        }
    }

    private static void check(InetSocketAddress addr, int burst, int processes) throws Exception {
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (sampling.get()) {
                most.accumulateAndGet(serverSockets(addr.getPort()), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < burst; i++) clients.add(new RawClient(addr, 10_000).send(REQUEST));
            List<RawClient> admitted = new ArrayList<>();
            int refused = 0, closed = 0, silent = 0;
            for (RawClient c : clients) {
                try {
                    HttpReply r = c.read();
                    if (r.status() == 200) admitted.add(c);
                    else if (r.status() == 503 && "1".equals(r.header("Retry-After"))) refused++;
                    else throw new AssertionError("unexpected answer: " + r.statusLine());
                } catch (SocketTimeoutException e) {
                    silent++;
                } catch (IOException e) {
                    closed++; // refused while the lingering set was full: closed at once
                }
            }
            // a table read while thousands of sockets come and go may miss some: one more read once
            // the burst is over, the admitted still open, sees them all
            most.accumulateAndGet(serverSockets(addr.getPort()), Math::max);
            sampling.set(false);
            sampler.join();
            assertEquals(0, silent, "every client got an answer or a close");
            assertTrue(refused > burst / 2, refused + " refused with 503, " + closed + " closed");
            assertTrue(!admitted.isEmpty() && admitted.size() <= LIMIT * processes, admitted.size() + " admitted");
            for (RawClient c : admitted) assertEquals("alpha\n", c.send(REQUEST).read().bodyText(), "the admitted are still served");
            int bound = processes * (LIMIT + Refuser.MAX_LINGERING + 1) + 8; // + the listening sockets, and slack
            assertTrue(most.get() <= bound, "the server held " + most.get() + " sockets during a burst of " + burst
                    + " (bound " + bound + ")");
            assertTrue(most.get() > LIMIT, "the count saw the admitted: " + most.get());
        } finally {
            sampling.set(false);
            for (RawClient c : clients) c.close();
        }
    }

    /**
     * The TCP sockets with local port {@code port} that a process holds open (the listening
     * socket among them). Sampled every 20 ms while thousands of sockets exist: the tables are
     * read as bytes, and only the lines that name the port are looked at further.
     */
    static int serverSockets(int port) {
        String portField = String.format(":%04X", port);
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            String text;
            try {
                text = new String(Files.readAllBytes(Path.of(table)), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                continue; // no IPv6 table on this machine
            }
            for (int at = text.indexOf(portField + " "); at >= 0; at = text.indexOf(portField + " ", at + 1)) {
                int start = text.lastIndexOf('\n', at) + 1, end = text.indexOf('\n', at);
                String line = text.substring(start, end < 0 ? text.length() : end);
                String local = field(line, 1);
                if (local == null || !local.endsWith(portField)) continue; // the port was the remote one
                String inode = field(line, 9);
                if (inode != null && !inode.equals("0")) inodes.add(inode);
            }
        }
        return inodes.size();
    }

    /** Field {@code n} (from 0) of a line of fields separated by spaces, or null if it has fewer. */
    static String field(String line, int n) {
        int i = 0, len = line.length();
        for (int f = 0; ; f++) {
            while (i < len && line.charAt(i) == ' ') i++;
            if (i == len) return null;
            int start = i;
            while (i < len && line.charAt(i) != ' ') i++;
            if (f == n) return line.substring(start, i);
        }
    }

    private static long descriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getMaxFileDescriptorCount() : 1024;
    }
}
