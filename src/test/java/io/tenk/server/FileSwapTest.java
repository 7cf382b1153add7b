package io.tenk.server;

import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files replaced while they are served: a thread swaps a large file and a small one for a
 * symbolic link to a file outside the root, and for a FIFO, and back, while clients ask for them.
 * Not one byte from outside the root may go out (the outside file is all 'S', the served ones
 * never hold an 'S'), every answer is the whole file or a 404, and a FIFO never stalls a loop: a
 * client asking for an untouched file keeps getting answers within a bound. With the open-file
 * cache on (a check trusted for a second) and off, on one event loop.
 */
class FileSwapTest {
    private static final int BIG = 200 * 1024, SMALL = 2 * 1024;
    private static final long STALL_BOUND_MILLIS = 8000;
    @TempDir static Path dir;
    static Path root, fifo, outside;
    static byte[] big, small;

    @BeforeAll static void files() throws Exception {
        root = Files.createDirectories(dir.resolve("www"));
        outside = dir.resolve("outside.bin");
        byte[] secret = new byte[256 * 1024];
        Arrays.fill(secret, (byte) 'S');
        Files.write(outside, secret);
        big = new byte[BIG];
        Arrays.fill(big, (byte) 'A');
        small = new byte[SMALL];
        Arrays.fill(small, (byte) 'a');
        Files.write(root.resolve("big.bin"), big);
        Files.write(root.resolve("small.bin"), small);
        Files.writeString(root.resolve("other.txt"), "untouched");
        Path spare = Files.createDirectories(dir.resolve("spare"));
        fifo = spare.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo unavailable");
    }

    /**
     * Wakes any reader blocked opening the FIFO (a stalled loop) so that the server can stop:
     * opening it for reading and writing counts as a writer and never blocks.
     */
    private static void releaseFifo() throws IOException {
        FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
    }

    @ParameterizedTest(name = "{0}, open-file cache {1}")
    @CsvSource({"selector, true", "selector, false", "reactor, true"})
    void swappedFilesNeverLeakNorStall(String model, boolean cache) throws Exception {
        try (TestServer server = TestServer.start(TestServer.config(root, model).with(b -> b.accessLog(false)
                .siteOptions(s -> s.with(o -> o.openFileCache(cache)))))) {
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger served = new AtomicInteger(), missing = new AtomicInteger(), swaps = new AtomicInteger();
            AtomicLong slowest = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().start(() -> swap(stop, swaps, served, failures)));
            for (String path : List.of("/big.bin", "/small.bin", "/big.bin", "/small.bin")) {
                threads.add(Thread.ofPlatform().start(() -> fetch(server, path, stop, served, missing, failures)));
            }
            threads.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try (RawClient c = new RawClient(server.address(), (int) STALL_BOUND_MILLIS)) {
                        HttpReply r = c.send("GET /other.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
                        if (r.status() != 200 || !r.bodyText().equals("untouched")) failures.add("other.txt → " + r.statusLine());
                    } catch (IOException e) {
                        failures.add("an untouched file got no answer within " + STALL_BOUND_MILLIS + " ms: " + e);
                        return;
                    }
                    slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    LockSupport.parkNanos(10_000_000); // a stall shows as a request timing out: asking more often finds no more
                }
            }));
            long deadline = System.nanoTime() + 8_000_000_000L;
            long minimum = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < deadline && failures.isEmpty()
                    && (System.nanoTime() < minimum || swaps.get() < 100 || served.get() < 50 || missing.get() < 1)) {
                LockSupport.parkNanos(10_000_000);
            }
            stop.set(true);
            releaseFifo();
            for (Thread t : threads) t.join(10_000);
            restore();
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(swaps.get() >= 20 && served.get() >= 20, "load was applied: " + swaps + " swaps, "
                    + served + " served, " + missing + " missing, slowest untouched answer " + slowest + " ms");
        }
    }

    /** Replaces each file by a link out of the root, then by the FIFO, restoring it in between (renames: atomic). */
    private static void swap(AtomicBoolean stop, AtomicInteger swaps, AtomicInteger served, ConcurrentLinkedQueue<String> failures) {
        try {
            while (!stop.get()) {
                for (String name : List.of("big.bin", "small.bin")) {
                    Path target = root.resolve(name), keep = dir.resolve("spare/keep-" + name), tmp = dir.resolve("spare/tmp-" + name);
                    Files.createLink(keep, target);
                    Files.createSymbolicLink(tmp, outside);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Thread.yield();
                    Files.createLink(tmp, fifo);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Thread.yield();
                    Files.move(keep, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    swaps.incrementAndGet();
                    // the real file stays until a client has been served from it (or 20 ms went by):
                    // on a busy machine the swaps would otherwise leave it in place too briefly to serve
                    int seen = served.get();
                    long until = System.nanoTime() + 20_000_000L;
                    while (served.get() == seen && System.nanoTime() < until && !stop.get()) LockSupport.parkNanos(200_000);
                }
            }
        } catch (IOException e) {
            failures.add("swapping failed: " + e);
        }
    }

    private static void fetch(TestServer server, String path, AtomicBoolean stop, AtomicInteger served,
                              AtomicInteger missing, ConcurrentLinkedQueue<String> failures) {
        byte[] expected = path.equals("/big.bin") ? big : small;
        while (!stop.get()) {
            try (RawClient c = new RawClient(server.address(), 10_000)) {
                for (int i = 0; i < 20 && !stop.get(); i++) {
                    HttpReply r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                    boolean whole = r.status() == 200 && Arrays.equals(expected, r.body()); // holds no 'S'
                    if (!whole && new String(r.body(), StandardCharsets.ISO_8859_1).indexOf('S') >= 0) {
                        failures.add(path + " sent bytes of a file outside the root");
                        return;
                    }
                    if (whole) {
                        served.incrementAndGet();
                    } else if (r.status() == 404) {
                        missing.incrementAndGet();
                    } else {
                        failures.add(path + " → " + r.statusLine() + ", " + r.body().length + " bytes");
                        return;
                    }
                    if ("close".equalsIgnoreCase(r.header("Connection"))) break;
                }
            } catch (IOException e) {
                failures.add(path + ": no whole answer: " + e);
                return;
            }
        }
    }

    /** The regular files back in place, whatever state the swapper stopped in. */
    private static void restore() throws IOException {
        for (String name : List.of("big.bin", "small.bin")) {
            Path keep = dir.resolve("spare/keep-" + name);
            if (Files.exists(keep, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.move(keep, root.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(dir.resolve("spare/tmp-" + name));
        }
    }
}
