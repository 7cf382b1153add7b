package io.tenk.transport;

import io.tenk.conn.Step;
import io.tenk.conn.Transport;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * TLS (1.3 and 1.2, through the JDK's {@link SSLEngine}) over another transport: the plain
 * socket, blocking or not. The session's bytes are encrypted from its own buffers; a file region
 * is read through a buffer of this connection and encrypted (no sendfile under TLS).
 *
 * <p>The handshake runs inside {@link #read} and {@link #write}: each call does what the engine
 * can do now, reading from the socket at most once per call (so a client that trickles handshake
 * bytes cannot hold a blocking reader past its deadline), and {@link #awaits} tells the driver
 * what the engine waits for. The session's header timeout runs from the connection's start,
 * since the handshake gives it no request bytes: a client that connects and stalls is closed
 * like one that sends half a request head.
 *
 * <p>The engine's delegated tasks (the key exchange, the certificate's signature: milliseconds
 * each) run inline on the caller's thread, unless the driver {@linkplain #offload offloads} them:
 * then they run where the driver says, {@link #awaits} says {@link Step#TASK} meanwhile (every
 * call does nothing more than flush), and the driver calls again once they have run.
 *
 * <p>The buffers records pass through come from {@link RecordBuffers} when there are bytes to
 * move and go back there when the connection waits with none (between requests, and before its
 * first byte): an idle connection keeps its engine only.
 *
 * <p>Bytes count as written only once their record has left for the socket: a record that
 * could not be flushed in full stays queued, and the plaintext it holds is handed back to the
 * caller (positions restored) and acknowledged when the caller offers the same bytes again
 * after the flush. So a session that saw its response written can close at once without
 * cutting it.
 */
public final class TlsTransport implements Transport {
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
    /** Records encrypted from a file per {@link #sendFile} call at most. */
    private static final int FILE_RECORDS_PER_CALL = 4;
    /**
     * A file's bytes read per record: as many as the engine puts in one record, learnt from its
     * wraps (the JDK's TLS 1.3 records hold 2^14 - 17 bytes of data: it pads each with 16 zeros).
     * A read of more would leave the rest for a small record of its own, one more write to the
     * socket for each large one. Shared by the process's connections; only ever lowered.
     */
    private static volatile int fileRecord = 16 * 1024;
    /** A wrap that takes less than this with more input left is not taken for the record's limit. */
    private static final int SMALLEST_RECORD = 4 * 1024;
    /**
     * Room in the outgoing buffer for records queued before the next one (the engine wraps only
     * into a buffer with room for its largest record): a handshake's flight leaves in one write,
     * and the session ticket with the response that follows it, not each record in a write of
     * its own.
     */
    private static final int QUEUED_RECORDS = 4 * 1024;

    private final Transport raw;
    private final SSLEngine engine;
    private final int bufferSize; // of each record buffer: the engine's largest record, and room to queue records before it
    // null while the connection is idle (see the class comment)
    private ByteBuffer netIn;    // ciphertext read, not yet unwrapped (fill mode: data in [0, position))
    private ByteBuffer netOut;   // ciphertext wrapped, not yet written (fill mode)
    private ByteBuffer appIn;    // plaintext unwrapped, not yet read by the session (fill mode)
    private ByteBuffer fileBuf;  // a file's bytes on their way to the engine; taken on first use
    private long owed;           // plaintext already encrypted into netOut, not yet acknowledged to the caller
    private boolean inboundDone; // the peer finished (close_notify or EOF)
    private boolean outputShutRequested, outputShut;
    private boolean began;       // the peer sent something: a handshake is under way or done
    private boolean established; // the first handshake finished
    private boolean holdsSlot;   // counted among the handshakes under way (HandshakeSlots)
    private HandshakeSlots.Waiter slotWait; // queued for a slot, or granted one not yet taken up
    private long slotGranted;    // when a slot waited for was taken up (System.nanoTime()); 0: none waited for
    private Tasks elsewhere;     // where delegated tasks run, if the driver decides
    private volatile boolean taskRunning; // delegated tasks are running (on the pool, or inline now)

    public TlsTransport(Transport raw, SSLEngine engine) {
        this.raw = raw;
        this.engine = engine;
        var s = engine.getSession();
        this.bufferSize = Math.max(s.getPacketBufferSize(), s.getApplicationBufferSize()) + QUEUED_RECORDS;
    }

    /** Takes the record buffers, if the connection was idle. */
    private void attach() {
        if (netIn != null) return;
        // one size for the three, so that the pool's buffers serve any of them
        netIn = RecordBuffers.take(bufferSize);
        netOut = RecordBuffers.take(bufferSize);
        appIn = RecordBuffers.take(bufferSize);
    }

    /** Gives the buffers back when they hold nothing and the engine needs none: between requests. */
    private void releaseIfIdle() {
        if (netIn == null || netIn.position() > 0 || netOut.position() > 0 || appIn.position() > 0 || owed > 0 || taskRunning) return;
        HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED) return;
        release();
    }

    private void release() {
        RecordBuffers.give(netIn);
        RecordBuffers.give(netOut);
        RecordBuffers.give(appIn);
        RecordBuffers.give(fileBuf);
        netIn = netOut = appIn = fileBuf = null;
    }

    /** The engine (for tests: the protocol and cipher suite negotiated). */
    public SSLEngine engine() { return engine; }

    @Override public int read(ByteBuffer dst) throws IOException {
        if (!began && !holdsSlot && elsewhere != null && !slotTaken()) return 0;
        attach();
        if (appIn.position() == 0) pumpInbound();
        if (!began) giveSlot(); // called before any byte came: the slot waits for the next call
        if (appIn.position() > 0) return give(dst);
        if (inboundDone) return -1;
        releaseIfIdle();
        return 0;
    }

    /**
     * Under a driver that can park the connection (an event loop: it offloads), a new connection
     * takes its handshake slot before its first read, or queues for one (false): {@link #awaits}
     * then says {@link Step#TASK} and the driver parks it, holding no buffers, until a slot given
     * back is granted to it and the driver calls again.
     */
    private boolean slotTaken() {
        if (slotWait == null) {
            slotWait = HandshakeSlots.takeOrWait(elsewhere::wake);
            if (slotWait == null) {
                holdsSlot = true;
                return true;
            }
        }
        if (!slotWait.granted()) return false;
        slotWait = null;
        holdsSlot = true;
        slotGranted = System.nanoTime();
        return true;
    }

    /**
     * A connection waiting for a handshake slot has not begun yet (the wait is the server's, like
     * a connection's in the listen backlog); one that waited began when it got its slot.
     */
    @Override public long began(long opened) {
        if (slotWait != null) return System.nanoTime();
        return slotGranted != 0 && slotGranted - opened > 0 ? slotGranted : opened;
    }

    /** Moves decrypted bytes to the session's buffer. */
    private int give(ByteBuffer dst) {
        appIn.flip();
        int n = Math.min(dst.remaining(), appIn.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return n;
    }

    /**
     * Lets the engine go on with what it has and what one socket read brings: runs the handshake,
     * decrypts into {@link #appIn}. Stops once plaintext is there, or the engine waits for the
     * socket (output not flushed, or input not arrived). Records the handshake produced leave
     * together, before the socket is read and before this returns with no plaintext; with
     * plaintext (a request after the client's last handshake message), they wait for the
     * response, to leave in its write.
     */
    private void pumpInbound() throws IOException {
        pump();
        if (appIn.position() == 0) flush();
    }

    private void pump() throws IOException {
        boolean socketRead = false;
        while (appIn.position() == 0 && !inboundDone) {
            // more queued than the room for it: it leaves first, or the engine waits for the socket
            if (netOut.position() >= QUEUED_RECORDS && !flush()) return;
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                if (!flush() || !runTasks()) return;
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                wrap(NOTHING);
                continue;
            }
            netIn.flip();
            SSLEngineResult r;
            try {
                r = seen(engine.unwrap(netIn, appIn));
            } finally {
                netIn.compact();
            }
            if (renegotiating(r)) throw new SSLException("client-initiated renegotiation refused");
            switch (r.getStatus()) {
                case OK -> {
                    if (r.bytesConsumed() > 0 || r.bytesProduced() > 0 || engine.getHandshakeStatus() != hs) continue;
                    // nothing to do without more input
                    if (socketRead || !flush() || !readSocket()) return;
                    socketRead = true;
                }
                case BUFFER_UNDERFLOW -> {
                    if (netIn.position() == netIn.capacity()) netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    if (socketRead || !flush() || !readSocket()) return;
                    socketRead = true;
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case CLOSED -> {
                    inboundDone = true;
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        wrap(NOTHING); // our close_notify in answer, best effort
                        flush();
                    }
                }
            }
        }
    }

    /** Notes the end of the first handshake, which a wrap or an unwrap reports once. */
    private SSLEngineResult seen(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            established = true;
            giveSlot();
        }
        return r;
    }

    private void giveSlot() {
        if (holdsSlot) {
            holdsSlot = false;
            HandshakeSlots.give();
        }
    }

    /**
     * Whether the peer began a new handshake on an established TLS 1.2 connection (a
     * renegotiation): refused, as nginx does, since each costs the server a key exchange and a
     * signature for a few bytes of the client's. (TLS 1.3 has no renegotiation; its
     * post-handshake messages leave the protocol at TLSv1.3.)
     */
    private boolean renegotiating(SSLEngineResult r) {
        HandshakeStatus hs = r.getHandshakeStatus();
        return established && hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED
                && "TLSv1.2".equals(engine.getSession().getProtocol());
    }

    /** One socket read into {@link #netIn}: true when bytes came; at EOF, the input is done. */
    private boolean readSocket() throws IOException {
        int n = raw.read(netIn);
        if (n < 0) {
            inboundDone = true;
            try {
                engine.closeInbound();
            } catch (SSLException e) {
                // no close_notify (a truncation): the session sees EOF, as on a plain socket
            }
            return false;
        }
        if (n > 0 && !began) {
            // a connection with a thread of its own takes its slot now, or is refused
            if (!holdsSlot && !HandshakeSlots.take()) {
                throw new IOException("too many TLS handshakes at once (" + HandshakeSlots.MAX + "): a new one is refused");
            }
            holdsSlot = true;
            began = true;
        }
        return n > 0;
    }

    @Override public long write(ByteBuffer[] srcs) throws IOException {
        return encrypt(srcs, 0, srcs.length);
    }

    @Override public int write(ByteBuffer src) throws IOException {
        return (int) encrypt(new ByteBuffer[] {src}, 0, 1);
    }

    /**
     * Encrypts from the buffers, one record at a time, flushing each (with any handshake records
     * queued before it); returns the plaintext whose records left in full. A record that could
     * not leave in full is kept and its plaintext handed back (see the class comment).
     */
    private long encrypt(ByteBuffer[] srcs, int offset, int length) throws IOException {
        attach();
        // a record of earlier plaintext must leave before it is acknowledged; handshake records
        // queued (a session ticket) may wait to leave with this one
        if (owed > 0 && !flush()) return 0;
        long done = acknowledge(srcs, offset, length);
        if (!readyToWrite()) return done;
        long left = remaining(srcs, offset, length);
        while (left > 0) {
            int[] before = positions(srcs, offset, length);
            SSLEngineResult r = seen(engine.wrap(srcs, offset, length, netOut));
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new EOFException("TLS output closed");
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (netOut.position() > 0) {
                    if (!flush()) return done; // queued records first; nothing of this call's was taken
                } else {
                    netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                }
                continue;
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) runTasks();
            if (!flush()) {
                restore(srcs, offset, before);
                owed = r.bytesConsumed();
                return done;
            }
            done += r.bytesConsumed();
            if (r.bytesConsumed() == 0 && !readyToWrite()) break;
            left = remaining(srcs, offset, length);
            learnRecordSize(r.bytesConsumed(), left);
        }
        return done;
    }

    /** A record that left input behind was full: no later file read is to be larger than it held. */
    private static void learnRecordSize(long consumed, long left) {
        if (left > 0 && consumed >= SMALLEST_RECORD && consumed < fileRecord) fileRecord = (int) consumed;
    }

    /** Whether the engine can encrypt application data now (no handshake step needs the peer first). */
    private boolean readyToWrite() throws IOException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    if (!runTasks()) return false;
                }
                case NEED_WRAP -> {
                    wrap(NOTHING);
                    if (!flush()) return false;
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    pumpInbound(); // decrypted bytes that arrive meanwhile wait in appIn (hasBufferedInput)
                    if (engine.getHandshakeStatus() == hs) return false;
                }
                default -> { return true; }
            }
        }
    }

    /** Advances the buffers past plaintext already encrypted by an earlier call; returns how much. */
    private long acknowledge(ByteBuffer[] srcs, int offset, int length) {
        long done = 0;
        for (int i = offset; i < offset + length && owed > 0; i++) {
            int n = (int) Math.min(owed, srcs[i].remaining());
            srcs[i].position(srcs[i].position() + n);
            owed -= n;
            done += n;
        }
        return done;
    }

    @Override public long sendFile(FileChannel file, long position, long count) throws IOException {
        attach();
        if (!flush()) return 0;
        long done = Math.min(owed, count);
        owed -= done;
        if (!readyToWrite()) return done;
        if (fileBuf == null) fileBuf = RecordBuffers.take(16 * 1024);
        for (int i = 0; i < FILE_RECORDS_PER_CALL && done < count; i++) {
            fileBuf.clear().limit((int) Math.min(fileRecord, count - done));
            int n = file.read(fileBuf, position + done);
            if (n <= 0) break; // the file shrank: the caller sees no progress and checks
            fileBuf.flip();
            long sent = encrypt(new ByteBuffer[] {fileBuf}, 0, 1);
            done += sent;
            if (sent < n) break;
        }
        return done;
    }

    /** Encrypts a handshake or closing record into {@link #netOut}. */
    private void wrap(ByteBuffer[] src) throws IOException {
        while (true) {
            SSLEngineResult r = seen(engine.wrap(src, netOut));
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) break;
            if (!flush()) netOut = grow(netOut, netOut.capacity() + engine.getSession().getPacketBufferSize());
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) runTasks();
    }

    /** Writes queued records; true once none is left. A pending half-close follows the last one. */
    private boolean flush() throws IOException {
        if (netOut.position() > 0) {
            netOut.flip();
            try {
                while (netOut.hasRemaining()) {
                    if (raw.write(netOut) == 0) break;
                }
            } finally {
                netOut.compact();
            }
        }
        if (netOut.position() > 0) return false;
        if (outputShutRequested && !outputShut) {
            outputShut = true;
            raw.shutdownOutput();
        }
        return true;
    }

    /**
     * Runs the engine's delegated tasks: inline (true: done), or where the driver says, which may
     * be now (true) or on another thread (false: under way; the driver calls again once they have
     * run).
     */
    private boolean runTasks() {
        if (taskRunning) return false;
        if (elsewhere == null) {
            runDelegated();
            return true;
        }
        taskRunning = true;
        return elsewhere.runNowOrHandOff(() -> {
            try {
                runDelegated(); // a task's failure is kept by the engine: the next unwrap or wrap throws it
            } finally {
                taskRunning = false;
            }
        });
    }

    private void runDelegated() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) task.run();
    }

    @Override public void offload(Tasks tasks) { this.elsewhere = tasks; }

    /** Sends close_notify, then half-closes the socket once every queued record has left. */
    @Override public void shutdownOutput() throws IOException {
        if (outputShutRequested) return;
        outputShutRequested = true;
        attach();
        engine.closeOutbound();
        wrap(NOTHING);
        flush();
    }

    @Override public void close() {
        try {
            // a handshake never begun gets no alert; one under way or done gets close_notify
            if (!outputShutRequested && (netOut == null || netOut.position() == 0) && began && !taskRunning) {
                attach();
                engine.closeOutbound();
                wrap(NOTHING);
                flush(); // close_notify, best effort: a socket that takes nothing now gets none
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        raw.close();
        giveSlot();
        if (slotWait != null && HandshakeSlots.cancel(slotWait)) HandshakeSlots.give();
        slotWait = null;
        if (netIn != null) release();
    }

    @Override public String remote() { return raw.remote(); }

    @Override public void lastResponse() { raw.lastResponse(); } // the close_notify alert joins the FIN too

    @Override public String toString() {
        if (netIn == null) return "TLS " + engine.getHandshakeStatus() + ", idle";
        return "TLS " + engine.getHandshakeStatus() + ", queued in " + netIn.position() + " out " + netOut.position() + ", plaintext " + appIn.position();
    }

    /** Decrypted bytes wait, or a whole record does (so a read returns data without the socket). */
    @Override public boolean hasBufferedInput() {
        if (taskRunning || netIn == null) return false;
        if (appIn.position() > 0) return true;
        if (inboundDone || netIn.position() < 5) return false;
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return netIn.position() >= 5 + length;
    }

    @Override public Step awaits(Step wanted) {
        if (wanted == Step.CLOSE) return wanted;
        if (taskRunning || (slotWait != null && !slotWait.granted())) return Step.TASK;
        if (netOut != null && netOut.position() > 0) return Step.WRITE;
        if (wanted == Step.READ) releaseIfIdle(); // the driver asks before it waits: wait without buffers
        return switch (engine.getHandshakeStatus()) {
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> Step.READ;
            default -> wanted;
        };
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    private static long remaining(ByteBuffer[] bs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) n += bs[i].remaining();
        return n;
    }

    private static int[] positions(ByteBuffer[] bs, int offset, int length) {
        int[] p = new int[length];
        for (int i = 0; i < length; i++) p[i] = bs[offset + i].position();
        return p;
    }

    private static void restore(ByteBuffer[] bs, int offset, int[] positions) {
        for (int i = 0; i < positions.length; i++) bs[offset + i].position(positions[i]);
    }
}
