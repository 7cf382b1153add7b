package io.tenk.model.nio;

import io.tenk.support.ChildServer;
import io.tenk.support.RawClient;
import io.tenk.support.Strace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the kernel is asked, seen with strace(1) attached to a child tenk: the edge-triggered and
 * one-shot loops register connections with {@code EPOLLET} and {@code EPOLLONESHOT} (the
 * leader/follower one too, its listening socket one-shot as well), and by default (Linux) TCP_CORK
 * is set before a file response and cleared after it, and left set for the close when the client
 * said the response is the last, whose bytes from memory go with MSG_MORE, while
 * {@code --tcp-nopush off} does neither.
 * Skipped, saying why, where strace is not installed (.ci/run installs it).
 */
@org.junit.jupiter.api.Order(12) // a long class, started early (junit-platform.properties)
class KernelFlagsTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    @TempDir static Path root;
    @TempDir Path dir;
    static byte[] big;

    @BeforeAll static void files() throws IOException {
        big = new byte[1024 * 1024];
        new Random(3).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("small.txt"), "small\n"); // served from memory: no sendfile
    }

    @Test void edgeTriggeredRegistersWithEpollet() throws Exception {
        String trace = traced("epoll_ctl", List.of("--model", "selector", "--selector", "epoll-et"));
        assertTrue(connectionAdds(trace).stream().allMatch(l -> l.contains("EPOLLET")), trace);
    }

    @Test void oneShotRegistersWithEpolloneshotAndRearms() throws Exception {
        String trace = traced("epoll_ctl", List.of("--model", "selector", "--selector", "epoll-oneshot"));
        assertTrue(connectionAdds(trace).stream().allMatch(l -> l.contains("EPOLLONESHOT")), trace);
        assertTrue(trace.contains("EPOLL_CTL_MOD") && lines(trace).anyMatch(l -> l.contains("EPOLL_CTL_MOD")
                && l.contains("EPOLLONESHOT")), "re-armed after a step: " + trace);
    }

    @Test void leaderFollowerSharesOneOneShotSet() throws Exception {
        String trace = traced("epoll_ctl", List.of("--model", "selector", "--selector", "epoll-oneshot", "--threads", "2"));
        List<String> adds = connectionAdds(trace);
        assertTrue(adds.stream().allMatch(l -> l.contains("EPOLLONESHOT")), trace);
        // the listening socket (added before strace came: not a connection) is re-armed one-shot
        // after each round of accepts; a single loop leaves it level-triggered, never re-armed
        List<String> connectionFds = adds.stream().map(KernelFlagsTest::target).toList();
        assertTrue(lines(trace).anyMatch(l -> l.contains("EPOLL_CTL_MOD") && l.contains("EPOLLONESHOT")
                && !connectionFds.contains(target(l))), "the listening socket re-armed: " + trace);
        assertEquals(1, lines(trace).map(l -> l.replaceAll(".*epoll_ctl\\((\\d+),.*", "$1")).distinct().count(),
                "every call on one epoll set: " + trace);
    }

    @Test void byDefaultFileResponsesAreCorkedAndUncorkedAfterAndTheLastOneUntilTheClose() throws Exception {
        String trace = traced("setsockopt", List.of());
        List<String> cork = lines(trace).filter(l -> l.contains("TCP_CORK")).map(l -> l.replaceAll(".*TCP_CORK, (\\[\\d\\]).*", "$1")).toList();
        assertEquals(List.of("[1]", "[0]", "[1]"), cork,
                "the kept-alive response: set, then cleared; the last (Connection: close): set, and the close sends it: " + trace);
    }

    @Test void withNopushOffNothingIsCorked() throws Exception {
        String trace = traced("setsockopt", List.of("--tcp-nopush", "off"));
        assertFalse(trace.contains("TCP_CORK"), trace);
    }

    @Test void aResponseTheClientSaidIsTheLastWaitsForTheFin() throws Exception {
        List<String> writes = writesOfSmallResponses(List.of());
        assertEquals(2, writes.size(), writes.toString());
        assertFalse(writes.get(0).contains("MSG_MORE"), "kept alive: sent at once: " + writes);
        assertTrue(writes.get(1).contains("MSG_MORE"), "Connection: close: held for the FIN: " + writes);
    }

    @Test void withNopushOffNoResponseWaits() throws Exception {
        List<String> writes = writesOfSmallResponses(List.of("--tcp-nopush", "off"));
        assertEquals(2, writes.size(), writes.toString());
        assertTrue(writes.stream().noneMatch(l -> l.contains("MSG_MORE")), writes.toString());
    }

    /** The calls that wrote two responses from memory on one connection, the second asked to close. */
    private List<String> writesOfSmallResponses(List<String> args) throws Exception {
        try (ChildServer s = ChildServer.start(dir, root, List.of(), args)) {
            String trace = Strace.traced(s.process().pid(), "write,writev,sendto,sendmsg", dir, LIMIT, () -> {
                try (RawClient c = new RawClient(s.address(), (int) LIMIT.toMillis())) {
                    c.send("GET /small.txt HTTP/1.1\r\nHost: t\r\n\r\n");
                    assertEquals(200, c.read().status());
                    c.send("GET /small.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                    String all = new String(c.readToEnd(), StandardCharsets.ISO_8859_1);
                    assertTrue(all.startsWith("HTTP/1.1 200 ") && all.endsWith("\r\n\r\nsmall\n"), all);
                }
            });
            return lines(trace).filter(l -> l.contains("HTTP/1.1 200")).toList();
        }
    }

    /**
     * Starts tenk with {@code args}, attaches strace for the calls {@code calls} to all its
     * threads, fetches /big.bin twice on one connection (checking the bytes of the second), detaches; returns what strace saw.
     */
    private String traced(String calls, List<String> args) throws Exception {
        try (ChildServer s = ChildServer.start(dir, root, List.of(), args)) {
            return Strace.traced(s.process().pid(), calls, dir, LIMIT, () -> {
                try (RawClient c = new RawClient(s.address(), (int) LIMIT.toMillis())) {
                    // kept alive first: the connection then waits to read again (one-shot re-arms it)
                    c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
                    assertEquals(200, c.read().status());
                    c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                    byte[] got = c.readToEnd();
                    String all = new String(got, StandardCharsets.ISO_8859_1);
                    assertTrue(all.startsWith("HTTP/1.1 200 "), all.lines().findFirst().orElse(""));
                    assertArrayEquals(big, Arrays.copyOfRange(got, all.indexOf("\r\n\r\n") + 4, got.length));
                }
            });
        }
    }

    /** The epoll_ctl calls that added a connection (not the listening socket, added before strace came). */
    private static List<String> connectionAdds(String trace) {
        List<String> adds = new ArrayList<>(lines(trace).filter(l -> l.contains("EPOLL_CTL_ADD")).toList());
        assertFalse(adds.isEmpty(), "a connection was added: " + trace);
        return adds;
    }

    /** The descriptor an epoll_ctl line is about. */
    private static String target(String line) {
        return line.replaceAll(".*epoll_ctl\\(\\d+, EPOLL_CTL_[A-Z]+, (\\d+),.*", "$1");
    }

    private static Stream<String> lines(String trace) { return trace.lines().filter(l -> l.contains("(")); }
}
