package io.tenk.hostile;

import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
import io.tenk.support.Await;
import io.tenk.support.ChildJvm;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients and files that fail mid-way; the server ends that response, closes, and keeps serving.
 * Each case has a file of its own to fail on. prefork's server (a worker JVM to start) is
 * shared by its cases; the other models start one per case.
 */
@Execution(ExecutionMode.CONCURRENT) // each case has its own server (or files, on prefork's): they run side by side
class FaultsTest {
    @TempDir Path dir;
    @TempDir static Path preforkDir;
    private static FutureTask<TestServer> prefork;

    private static final long BIG = 64L << 20;
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1));

    /** The folder the case's server serves. */
    private Path root;
    private TestServer own;

    private static TestServer serve(Path root, String model) throws IOException {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        return TestServer.start(TestServer.config(root, TIMEOUTS).with(b -> TestServer.model(b, model)));
    }

    /** The case's server: prefork's shared one, or one of its own (stopped after it). */
    private TestServer start(String model) throws IOException {
        if (!model.equals("prefork")) {
            root = dir;
            own = serve(root, model);
            return own;
        }
        root = preforkDir;
        FutureTask<TestServer> first;
        synchronized (FaultsTest.class) {
            if (prefork == null) prefork = new FutureTask<>(() -> serve(preforkDir, model));
            first = prefork;
        }
        first.run(); // starts it unless another case did
        try {
            return first.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            throw new IOException("the shared prefork server did not start", e.getCause());
        }
    }

    @AfterEach void stopOwn() {
        if (own != null) own.close();
    }

    @AfterAll static void stopPrefork() throws InterruptedException {
        if (prefork == null) return;
        try {
            prefork.get().close();
        } catch (ExecutionException failedToStart) {
            // the case that started it reported the failure
        }
        prefork = null;
    }

    /** A sparse file of {@link #BIG} bytes named {@code name} in the case's folder. */
    private void big(String name) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(root.resolve(name).toFile(), "rw")) {
            f.setLength(BIG);
        }
    }

    static void stillServes(TestServer s) throws IOException {
        try (RawClient c = s.connect()) {
            assertEquals("alpha\n", c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText());
        }
    }

    private static void awaitLogged(TestServer s, String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!s.accessLog().contains(fragment) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(s.accessLog().contains(fragment), s.accessLog());
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void clientResetMidResponse(String model) throws Exception {
        TestServer s = start(model);
        big("reset.bin");
        Socket sock = new Socket("127.0.0.1", s.address().getPort());
        sock.getOutputStream().write("GET /reset.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        sock.getInputStream().readNBytes(100_000);
        sock.setSoLinger(true, 0);
        sock.close(); // RST
        awaitLogged(s, "\"GET /reset.bin HTTP/1.1\" 200 ");
        assertFalse(s.accessLog().contains("/reset.bin HTTP/1.1\" 200 " + BIG), "a reset response is logged with the bytes actually sent");
        stillServes(s);
        assertFalse(s.errorLog().contains("Exception"), s.errorLog());
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void clientClosesWhileALargeFileIsSent(String model) throws Exception {
        TestServer s = start(model);
        big("closes.bin");
        try (RawClient c = s.connect()) {
            c.send("GET /closes.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            c.socket().getInputStream().readNBytes(50_000);
        }
        awaitLogged(s, "\"GET /closes.bin HTTP/1.1\" 200 ");
        stillServes(s);
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void fileTruncatedWhileBeingSent(String model) throws Exception {
        TestServer s = start(model);
        big("truncated.bin");
        try (RawClient c = new RawClient(s.address(), 10_000)) {
            c.socket().setReceiveBufferSize(64 * 1024);
            c.send("GET /truncated.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = c.socket().getInputStream();
            in.readNBytes(1 << 20);
            try (RandomAccessFile f = new RandomAccessFile(root.resolve("truncated.bin").toFile(), "rw")) {
                f.setLength(2L << 20);
            }
            long got = 1 << 20;
            byte[] buf = new byte[1 << 16];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) got += n;
            } catch (java.net.SocketTimeoutException stuck) {
                throw new AssertionError("the server neither finished nor closed the connection", stuck);
            } catch (IOException reset) {
                // a reset is an end too
            }
            assertTrue(got < BIG, "the response ended early: " + got);
            stillServes(s);
        }
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void fileDeletedWhileBeingSentStillEndsCleanly(String model) throws Exception {
        TestServer s = start(model);
        big("deleted.bin");
        try (RawClient c = new RawClient(s.address(), 10_000)) {
            c.send("GET /deleted.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            InputStream in = c.socket().getInputStream();
            in.readNBytes(1 << 20);
            Files.delete(root.resolve("deleted.bin"));
            long got = 1 << 20;
            byte[] buf = new byte[1 << 16];
            try {
                int n;
                while (got < BIG + 100_000 && (n = in.read(buf)) >= 0) got += n;
            } catch (java.net.SocketTimeoutException stuck) {
                throw new AssertionError("the server neither finished nor closed the connection", stuck);
            } catch (IOException e) {
                // ended
            }
            // the open file outlives its name: the response either completes or ends; never more
            assertTrue(got <= BIG + 1000, "got " + got);
            stillServes(s);
            // the open-file cache (and nginx's) may serve what it opened for up to its validity, 1 s
            Await.until(() -> {
                try (RawClient c2 = s.connect()) {
                    return c2.send("GET /deleted.bin HTTP/1.1\r\nHost: x\r\n\r\n").read().status() == 404;
                }
            }, Duration.ofSeconds(5), "404 for the deleted file");
        }
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void emptyFile(String model) throws Exception {
        TestServer s = start(model);
        try (RawClient c = s.connect()) {
            Files.write(root.resolve("empty.txt"), new byte[0]);
            HttpReply r = c.send("GET /empty.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("0", r.header("Content-Length"));
            assertEquals(200, c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status()); // framing intact
        }
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void rangesBeyond4GiBOfASparseFile(String model) throws Exception {
        long size = 5L << 30;
        long at = (9L << 30) / 2; // 4.5 GiB
        byte[] marker = "tenk@4.5GiB".getBytes(StandardCharsets.US_ASCII);
        TestServer s = start(model);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(size);
            f.seek(at);
            f.write(marker);
        }
        try (RawClient c = s.connect()) {
            HttpReply head = c.send("HEAD /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(Long.toString(size), head.header("Content-Length"));
            long last = at + marker.length - 1;
            HttpReply r = c.send("GET /huge.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=" + at + "-" + last + "\r\n\r\n").read();
            assertEquals(206, r.status());
            assertEquals("bytes " + at + "-" + last + "/" + size, r.header("Content-Range"));
            assertEquals(Integer.toString(marker.length), r.header("Content-Length"));
            assertArrayEquals(marker, r.body());
            HttpReply suffix = c.send("GET /huge.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=-3\r\n\r\n").read();
            assertEquals("bytes " + (size - 3) + "-" + (size - 1) + "/" + size, suffix.header("Content-Range"));
            HttpReply beyond = c.send("GET /huge.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=" + size + "-\r\n\r\n").read();
            assertEquals(416, beyond.status());
            assertEquals("bytes */" + size, beyond.header("Content-Range"));
        } finally {
            Files.deleteIfExists(root.resolve("huge.bin"));
        }
    }

    /** This JVM's open descriptors (Linux), or -1. */
    static long fdCount() throws IOException {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** The heap in use after a full collection (the least of three). */
    static long heapAfterGc() {
        return heapAfterGc(3);
    }

    /**
     * The heap in use right after a full collection, the least of {@code collections} (each takes
     * up to a second of both cores with this JVM's heap: a caller that retries a bound asks for
     * one). Read from what each heap pool held when the collection ended, not from the heap's use
     * now: other threads allocate from the moment it ends, and would count.
     */
    static long heapAfterGc(int collections) {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < collections; i++) {
            System.gc();
            best = Math.min(best, pools.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum());
        }
        return best;
    }

    /**
     * A file the server may not read gets a 403 that names nothing. Root reads every file, so as
     * root the server runs in a child JVM without the DAC-override capabilities (setpriv), which
     * makes the mode-000 file truly unreadable to it.
     */
    @Test void unreadableFileIs403() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha\n");
        Path locked = Files.writeString(dir.resolve("locked.txt"), "secret\n");
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        boolean isRoot = "root".equals(System.getProperty("user.name"));
        if (!isRoot) {
            try (TestServer s = TestServer.start(TestServer.config(dir)); RawClient c = s.connect()) {
                assertForbidden(c.send("GET /locked.txt HTTP/1.1\r\nHost: x\r\n\r\n").read());
            }
            return;
        }
        Assumptions.assumeTrue(new File("/usr/bin/setpriv").canExecute(), "setpriv is needed to drop root's DAC override");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        cmd.addAll(ChildJvm.command(List.of()));
        cmd.addAll(List.of("-p", "0", "-q", "-d", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)/").matcher(first == null ? "" : first);
            assertTrue(m.find(), "server started: " + first);
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            try (RawClient c = new RawClient(addr)) {
                assertEquals(200, c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                assertForbidden(c.send("GET /locked.txt HTTP/1.1\r\nHost: x\r\n\r\n").read());
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void assertForbidden(HttpReply r) {
        assertEquals(403, r.status(), r.rawHead());
        assertFalse(r.bodyText().contains(dir.toString()) || r.bodyText().contains("locked"), r.bodyText());
    }
}
