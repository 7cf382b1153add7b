package io.tenk.conn;

import io.tenk.observe.AccessLog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event loop lends its connections a request parser while a request arrives and a response
 * writer while a response is written; a connection between requests holds neither, so ten
 * thousand waiting connections cost ten thousand small sessions. A thread that lends nothing (a
 * blocking connection's) leaves each session its own.
 */
class BorrowedStateTest {
    private static final String GET = "GET /page HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String TEXT = "z".repeat(1000);
    private static final ServerContext CTX = SessionOverTransportTest.context(TEXT, AccessLog.disabled());

    @Test void connectionsBetweenRequestsHoldNeitherParserNorWriter() throws IOException {
        IoBuffers io = IoBuffers.eventLoop(4096);
        for (int i = 0; i < 3; i++) {
            var t = new SessionOverTransportTest.MemoryTransport(GET + GET, 4096, Integer.MAX_VALUE);
            Session s = Session.open(CTX, t, System.nanoTime());

            assertEquals(Step.READ, s.onReadable(io, System.nanoTime()));

            assertEquals(2, SessionOverTransportTest.count(t.out(), "HTTP/1.1 200 OK\r\n"), t.out());
            assertTrue(t.out().endsWith(TEXT), t.out());
            assertTrue(s.idle());
            // one of each, taken and given back by every connection in turn: a new one each time would pile up
            assertEquals(1, io.spareParsers(), "connection " + i);
            assertEquals(1, io.spareWriters(), "connection " + i);
        }
    }

    @Test void aRequestStillArrivingKeepsItsParser() throws IOException {
        IoBuffers io = IoBuffers.eventLoop(4096);
        var t = new SessionOverTransportTest.MemoryTransport("GET /page HTTP/1.1\r\nHo", 4096, Integer.MAX_VALUE);
        Session s = Session.open(CTX, t, System.nanoTime());

        assertEquals(Step.READ, s.onReadable(io, System.nanoTime()));
        assertEquals(0, io.spareParsers(), "half a head: the parser stays with its connection");
        assertFalse(s.idle());
        assertEquals("", t.out());

        // meanwhile another connection is lent a parser of its own, and gives it back
        var other = new SessionOverTransportTest.MemoryTransport(GET, 4096, Integer.MAX_VALUE);
        assertEquals(Step.READ, Session.open(CTX, other, System.nanoTime()).onReadable(io, System.nanoTime()));
        assertEquals(1, io.spareParsers());

        t.input.add("st: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Step.READ, s.onReadable(io, System.nanoTime()));

        assertTrue(t.out().startsWith("HTTP/1.1 200 OK\r\n") && t.out().endsWith(TEXT), t.out());
        assertEquals(2, io.spareParsers());
        assertTrue(s.idle());
    }

    @Test void aStalledResponseKeepsItsWriterUntilItIsWritten() throws IOException {
        IoBuffers io = IoBuffers.eventLoop(4096);
        var t = new SessionOverTransportTest.MemoryTransport(GET, 4096, 300); // 300 bytes a write
        Session s = Session.open(CTX, t, System.nanoTime());

        assertEquals(Step.WRITE, s.onReadable(io, System.nanoTime()));
        assertEquals(0, io.spareWriters(), "the response under way keeps its writer");
        assertEquals(1, io.spareParsers(), "the request was read whole: its parser is back");

        Step step;
        do step = s.onWritable(io, System.nanoTime()); while (step == Step.WRITE);

        assertEquals(Step.READ, step);
        assertTrue(t.out().startsWith("HTTP/1.1 200 OK\r\n") && t.out().endsWith(TEXT), t.out());
        assertEquals(1, io.spareWriters());
    }

    @Test void aThreadThatLendsNothingLeavesEachSessionItsOwn() throws IOException {
        IoBuffers io = new IoBuffers(ByteBuffer.allocate(4096), ByteBuffer.allocate(IoBuffers.HEAD_SIZE));
        var t = new SessionOverTransportTest.MemoryTransport(GET, 4096, Integer.MAX_VALUE);
        Session s = Session.open(CTX, t, System.nanoTime());

        assertEquals(Step.READ, s.onReadable(io, System.nanoTime()));
        t.input.add(GET.getBytes(StandardCharsets.US_ASCII));
        assertEquals(Step.READ, s.onReadable(io, System.nanoTime()));

        assertEquals(2, SessionOverTransportTest.count(t.out(), "HTTP/1.1 200 OK\r\n"), t.out());
        assertEquals(0, io.spareParsers());
        assertEquals(0, io.spareWriters());
    }
}
