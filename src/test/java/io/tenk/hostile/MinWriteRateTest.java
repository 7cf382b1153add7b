package io.tenk.hostile;

import io.tenk.config.Timeouts;
import io.tenk.support.HttpReply;
import io.tenk.support.AllModels;
import io.tenk.support.RawClient;
import io.tenk.support.SideBySide;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The minimum write rate, for every model: a client that reads a large file a few hundred bytes at
 * a time (each read lets a write progress, so the write timeout alone never fires) is cut off once
 * the response is late for its size, while a slow reader that keeps above the rate gets it all.
 */
@org.junit.jupiter.api.Order(7) // a long class, started early (junit-platform.properties)
class MinWriteRateTest {
    @TempDir static Path dirs;

    // larger than what socket buffers absorb (up to 4 MiB on loopback): a response the kernel took
    // in full is finished as far as the server can tell
    private static final long FILE = 16L << 20;                // 16 MiB
    private static final long RATE = 4L << 20;                 // 4 MiB/s: the whole file is due within 4 s plus the write timeout
    private static final Duration WRITE = Duration.ofSeconds(3);
    private static final long DUE_MILLIS = WRITE.toMillis() + FILE * 1000 / RATE;

    // each model has its own server and the readers mostly wait on the server's deadlines: the
    // models run side by side
    private static final SideBySide<String> RUNS = new SideBySide<>(AllModels.hostile().toList(), 6,
            MinWriteRateTest::trickleReadersAreCutOff);

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#hostile")
    void aTrickleReaderIsCutOffWhileAReaderAboveTheRateIsServed(String model) throws Exception {
        RUNS.await(model);
    }

    private static void trickleReadersAreCutOff(String model) throws Exception {
        Path root = Files.createDirectories(dirs.resolve(model.replace('/', '-')));
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(FILE); // sparse
        }
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Timeouts t = new Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20), WRITE,
                Duration.ofSeconds(1)).withMinWriteRate(RATE);
        try (TestServer s = TestServer.start(TestServer.config(root, t).with(b -> TestServer.model(b, model)))) {
            // above the rate: 256 KiB every 10 ms at most (some 25 MiB/s), the whole file arrives
            try (RawClient legal = new RawClient(s.address(), 10_000)) {
                legal.socket().setReceiveBufferSize(256 * 1024);
                legal.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                skipHead(legal.socket());
                long body = bodyBytes(legal.socket(), 256 * 1024, 10, Long.MAX_VALUE);
                assertEquals(FILE, body, "a reader above the minimum rate gets the whole file");
            }

            // 512 bytes every 300 ms (under 2 KiB/s) and 64 KiB every 200 ms (some 320 KiB/s), steady
            // enough that each write progresses within the write timeout: both are cut off once due.
            // Side by side, but one after the other for iterative (one connection at a time)
            try (var readers = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> trickle = readers.submit(() -> { assertCutOff(s, 512, 300); return null; });
                if (model.equals("iterative")) await(trickle);
                Future<?> steady = readers.submit(() -> { assertCutOff(s, 64 * 1024, 200); return null; });
                await(trickle);
                await(steady);
            }

            try (RawClient after = s.connect()) {
                HttpReply r = after.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals("alpha\n", r.bodyText());
            }
        }
    }

    /** Waits for a reader; its failure is this case's. */
    private static void await(Future<?> reader) throws Exception {
        try {
            reader.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) throw error;
            throw (Exception) e.getCause();
        }
    }

    private static void assertCutOff(TestServer s, int chunk, long pauseMillis) throws Exception {
        try (Socket reader = new Socket()) {
            reader.setReceiveBufferSize(Math.max(4096, chunk));
            reader.connect(s.address(), 5000);
            reader.setSoTimeout(5000);
            reader.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            long t0 = System.nanoTime();
            skipHead(reader);
            long got = bodyBytes(reader, chunk, pauseMillis, t0 + (DUE_MILLIS + 1500) * 1_000_000);
            // then read as fast as possible: a server still sending would now finish the file
            got += bodyBytes(reader, 64 * 1024, 0, Long.MAX_VALUE);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(got < FILE, "reading " + chunk + " bytes every " + pauseMillis + " ms, the whole file arrived:"
                    + " the server never cut the reader off (" + ms + " ms)");
        }
    }

    private static void skipHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) throw new IOException("closed before the response head ended");
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
        }
    }

    /**
     * Reads up to {@code chunk} bytes every {@code pauseMillis} until EOF (or a reset), or until
     * {@code untilNanos}; returns the bytes read.
     */
    private static long bodyBytes(Socket socket, int chunk, long pauseMillis, long untilNanos) throws Exception {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[chunk];
        long got = 0;
        try {
            while (untilNanos == Long.MAX_VALUE || System.nanoTime() - untilNanos < 0) {
                int n = in.read(buf);
                if (n < 0) break;
                got += n;
                if (pauseMillis > 0) Thread.sleep(pauseMillis); // the reader's pace, not a wait for the server
            }
        } catch (SocketTimeoutException stuck) {
            throw new AssertionError("the server neither finished nor closed the connection", stuck);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return got;
    }
}
