package io.tenk.conn;

import io.tenk.config.Timeouts;
import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Limits;
import io.tenk.http.Response;
import io.tenk.http.Status;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session over transports that are not sockets: it reads, writes, half-closes and closes only
 * through {@link Transport}, so input a transport already holds (as a TLS engine holds decrypted
 * records) is answered without a readiness event, and a transport that takes a few bytes at a
 * time gets the whole response in order.
 */
class SessionOverTransportTest {
    private static final String BODY = "hello, transport";

    /** Input handed out a few bytes per read, all of it "already buffered"; output taken at most {@code perWrite} bytes a call. */
    static final class MemoryTransport implements Transport {
        final ArrayDeque<byte[]> input = new ArrayDeque<>();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final int perRead, perWrite;
        boolean eof, outputShut, closed;
        int reads, lastResponses;

        MemoryTransport(String in, int perRead, int perWrite) {
            byte[] all = in.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < all.length; i += perRead) {
                input.add(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + perRead)));
            }
            this.perRead = perRead;
            this.perWrite = perWrite;
        }

        @Override public int read(ByteBuffer dst) {
            reads++;
            byte[] next = input.poll();
            if (next == null) return eof ? -1 : 0;
            dst.put(next);
            return next.length;
        }

        int singleWrites, gatheringWrites;

        @Override public long write(ByteBuffer[] srcs) {
            gatheringWrites++;
            long n = 0;
            for (ByteBuffer b : srcs) {
                int took = take(b);
                n += took;
                if (b.hasRemaining()) break;
            }
            return n;
        }

        @Override public int write(ByteBuffer src) {
            singleWrites++;
            return take(src);
        }

        private int take(ByteBuffer src) {
            int n = Math.min(src.remaining(), perWrite);
            byte[] b = new byte[n];
            src.get(b);
            output.writeBytes(b);
            return n;
        }

        @Override public long sendFile(FileChannel file, long position, long count) throws IOException {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, perWrite));
            int n = file.read(b, position);
            b.flip();
            take(b);
            return Math.max(n, 0);
        }

        @Override public void lastResponse() { lastResponses++; }

        @Override public void shutdownOutput() { outputShut = true; }

        @Override public void close() { closed = true; }

        @Override public String remote() { return "memory"; }

        @Override public boolean hasBufferedInput() { return !input.isEmpty(); }

        String out() { return output.toString(StandardCharsets.US_ASCII); }
    }

    private static ServerContext context() {
        return context(BODY, AccessLog.disabled());
    }

    static ServerContext context(String text, AccessLog log) {
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        Timeouts t = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        return new ServerContext(req -> new Response(Status.OK,
                        new Headers().add("Content-Type", "text/plain").add("Content-Length", Integer.toString(body.length)),
                        new Body.Bytes(body)),
                new Limits(8192, 65536, 100), t, 1024, log,
                new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false), new ConnectionLimiter(10),
                (what, cause) -> { throw new AssertionError(what, cause); }, io.tenk.observe.Metrics.disabled());
    }

    private static IoBuffers buffers() {
        return new IoBuffers(ByteBuffer.allocate(4096), ByteBuffer.allocate(IoBuffers.HEAD_SIZE));
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test void inputTheTransportHoldsIsAnsweredWithoutWaitingForTheSocket() throws IOException {
        String two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
        MemoryTransport t = new MemoryTransport(two, 7, Integer.MAX_VALUE);
        Session s = Session.open(context(), t, System.nanoTime());

        Step step = s.onReadable(buffers(), System.nanoTime()); // one readiness event for every record

        assertEquals(Step.READ, step);
        assertEquals(2, count(t.out(), "HTTP/1.1 200 OK\r\n"), t.out());
        assertEquals(2, count(t.out(), "\r\n\r\n" + BODY), t.out());
        assertTrue(s.idle());
        assertFalse(t.closed);
    }

    @Test void aTransportThatTakesAFewBytesAtATimeGetsTheWholeResponseInOrder() throws IOException {
        MemoryTransport t = new MemoryTransport("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1024, 10);
        Session s = Session.open(context(), t, System.nanoTime());
        IoBuffers io = buffers();

        Step step = s.onReadable(io, System.nanoTime());
        int calls = 0;
        while (step == Step.WRITE && calls++ < 1000) step = s.onWritable(io, System.nanoTime());

        assertEquals(Step.READ, step);
        assertTrue(calls > 5, "written over several calls: " + calls);
        assertTrue(t.out().startsWith("HTTP/1.1 200 OK\r\n"), t.out());
        assertTrue(t.out().endsWith("\r\n\r\n" + BODY), t.out());
    }

    @Test void aClosingResponseWithInputStillComingHalfClosesThenEndsAtEof() throws IOException {
        // a request with a body too large to discard: answered, then the output side closes first
        String req = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nxxxx";
        MemoryTransport t = new MemoryTransport(req, 4096, Integer.MAX_VALUE);
        Session s = Session.open(context(), t, System.nanoTime());
        IoBuffers io = buffers();

        assertEquals(Step.READ, s.onReadable(io, System.nanoTime()));
        assertTrue(t.outputShut, "half-closed after a response that closes");
        assertTrue(t.out().contains("Connection: close\r\n"), t.out());
        assertFalse(t.closed);

        t.eof = true;
        assertEquals(Step.CLOSE, s.onReadable(io, System.nanoTime()));
        assertFalse(t.closed, "the driver closes the session, when it has stopped watching the socket");
        assertEquals(Step.CLOSE, s.onReadable(io, System.nanoTime()), "over is over");
        s.close();
        assertTrue(t.closed, "closing the session closes its transport");
    }

    @Test void onlyAResponseTheClientSaidIsTheLastMayWaitForTheClose() throws IOException {
        MemoryTransport kept = new MemoryTransport("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 4096, Integer.MAX_VALUE);
        Session.open(context(), kept, System.nanoTime()).onReadable(buffers(), System.nanoTime());
        assertEquals(0, kept.lastResponses, "kept alive");

        for (String req : List.of("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET / HTTP/1.0\r\n\r\n")) {
            MemoryTransport t = new MemoryTransport(req, 4096, Integer.MAX_VALUE);
            assertEquals(Step.CLOSE, Session.open(context(), t, System.nanoTime()).onReadable(buffers(), System.nanoTime()));
            assertEquals(1, t.lastResponses, req);
            assertTrue(t.out().endsWith("\r\n\r\n" + BODY), t.out());
        }

        // the server closes a connection the client would keep (it is stopping): the client may
        // have sent its next request meanwhile, so nothing may wait for the close
        MemoryTransport draining = new MemoryTransport("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 4096, Integer.MAX_VALUE);
        Session s = Session.open(context(), draining, System.nanoTime());
        s.drain(System.nanoTime());
        assertEquals(Step.CLOSE, s.onReadable(buffers(), System.nanoTime()));
        assertTrue(draining.out().contains("Connection: close\r\n"), draining.out());
        assertEquals(0, draining.lastResponses);

        MemoryTransport bad = new MemoryTransport("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 4096, Integer.MAX_VALUE);
        Session.open(context(), bad, System.nanoTime()).onReadable(buffers(), System.nanoTime());
        assertTrue(bad.out().startsWith("HTTP/1.1 400 "), bad.out());
        assertEquals(0, bad.lastResponses, "a request refused: what follows it is unknown");
    }

    @Test void nothingToReadIsNotActivity() throws IOException {
        MemoryTransport t = new MemoryTransport("", 1, 1);
        long start = System.nanoTime();
        Session s = Session.open(context(), t, start);
        long deadline = s.deadline();

        assertEquals(Step.READ, s.onReadable(buffers(), start + 1_000_000_000L));

        assertEquals(deadline, s.deadline(), "a read that found nothing does not push the deadline");
    }

    // ---- how a response of bytes leaves, with an event loop's buffers (a direct head buffer)

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    /** The byte count on the access log's one line. */
    private static long loggedBytes(AccessLog access, ByteArrayOutputStream log) {
        access.flush();
        String line = log.toString(StandardCharsets.US_ASCII);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\" 200 (\\d+) ").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    @Test void aSmallBodyLeavesWithItsHeadInOneWriteOfOneBuffer() throws IOException {
        String text = "x".repeat(1024);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AccessLog access = AccessLog.to(log);
        MemoryTransport t = new MemoryTransport(GET, 4096, Integer.MAX_VALUE);
        Session s = Session.open(context(text, access), t, System.nanoTime());

        assertEquals(Step.READ, s.onReadable(IoBuffers.eventLoop(4096), System.nanoTime()));

        assertTrue(t.out().startsWith("HTTP/1.1 200 OK\r\n"), t.out());
        assertTrue(t.out().endsWith("\r\n\r\n" + text), t.out());
        assertEquals(1, t.singleWrites, "head and body in one buffer");
        assertEquals(0, t.gatheringWrites);
        s.close();
        assertEquals(1024, loggedBytes(access, log), "the access log counts the body alone");
    }

    @Test void aBodyLargerThanTheHeadBufferLeavesBesideIt() throws IOException {
        String text = "y".repeat(IoBuffers.HEAD_SIZE);
        MemoryTransport t = new MemoryTransport(GET, 4096, Integer.MAX_VALUE);
        Session s = Session.open(context(text, AccessLog.disabled()), t, System.nanoTime());

        assertEquals(Step.READ, s.onReadable(IoBuffers.eventLoop(4096), System.nanoTime()));

        assertTrue(t.out().endsWith("\r\n\r\n" + text), t.out());
        assertEquals(1, t.gatheringWrites, "head and body side by side in one gathering write");
        assertEquals(0, t.singleWrites);
    }

    @Test void aResponseCutShortLogsTheBodyBytesThatLeft() throws IOException {
        String text = "z".repeat(1000);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AccessLog access = AccessLog.to(log);
        MemoryTransport t = new MemoryTransport(GET, 4096, 300); // 300 bytes a write: the head, then some body
        Session s = Session.open(context(text, access), t, System.nanoTime());
        IoBuffers io = IoBuffers.eventLoop(4096);

        assertEquals(Step.WRITE, s.onReadable(io, System.nanoTime()));
        assertEquals(Step.WRITE, s.onWritable(io, System.nanoTime()), "the rest, kept by the session, goes on");
        s.close(); // the client went away after 600 bytes
        int headLength = t.out().indexOf("\r\n\r\n") + 4;
        assertTrue(headLength > 4 && headLength < 300, t.out());
        assertEquals(600, t.out().length());
        assertEquals(600 - headLength, loggedBytes(access, log));
    }
}
