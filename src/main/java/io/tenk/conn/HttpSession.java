package io.tenk.conn;

import io.tenk.handler.ErrorPages;
import io.tenk.http.Body;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.RequestParser;
import io.tenk.http.Response;
import io.tenk.http.ResponseHead;
import io.tenk.http.Status;
import io.tenk.http.Version;
import io.tenk.observe.AccessLog;
import io.tenk.observe.Metrics;

import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import static io.tenk.http.FieldSyntax.printable;

/**
 * HTTP/1.1 over one connection, the same for every concurrency model and every transport. The
 * model waits for what the last {@link Step} asked for; this class reads and writes through its
 * {@link Transport}, decides what the bytes mean, and says what to wait for next.
 *
 * <pre>
 *            ┌──────────────────────── keep-alive: next request ────────────────────────┐
 *            ▼                                                                           │
 *   ──► READING ──head complete──► handler ──► WRITING ──everything written──────────────┤
 *        │  ▲                                   │   ▲                                     │
 *        │  └── need more bytes (Step.READ)     │   └── transport full (Step.WRITE)       │
 *        │                                      │                                         │
 *        │                                      └── response said close ──► LINGERING ────┼─► CLOSED
 *        │                                            (half-close, then Step.READ: discard │
 *        │                                             input until EOF or 2 s)             │
 *        ├── invalid input or header timeout ──► error response, WRITING, then close ──────┘
 *        └── EOF, idle timeout, I/O error ─────────────────────────────────────────────────► CLOSED
 * </pre>
 *
 * <p>Draining ({@link #drain}, the server is stopping or a worker is being replaced): the next
 * response says {@code Connection: close}, and a response already under way finishes. A
 * connection between requests is closed only once it has been idle for {@link #DRAIN_IDLE_NANOS}
 * (or at once when it already was): a client that sends requests back to back gets its next one
 * answered, with {@code Connection: close}, rather than a connection closed under a request it
 * had just sent.
 *
 * <p>Pipelined requests are answered strictly in order: while a response is being written, the
 * bytes after it wait unparsed (copied out of the I/O thread's read buffer), so at most one
 * response per connection is ever in memory.
 */
final class HttpSession implements Session {

    private enum State { READING, WRITING, LINGERING, CLOSED }

    private static final long LINGER_NANOS = 2_000_000_000L;
    /** While draining, a connection between requests is closed once it has been idle this long. */
    static final long DRAIN_IDLE_NANOS = 500_000_000L;
    private static final long LINGER_MAX_BYTES = 256 * 1024;
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0);

    private final ServerContext ctx;
    private final Transport transport;
    private RequestParser parser;        // borrowed from the I/O thread while a request is read (null: none)

    private State state = State.READING;
    private ByteBuffer pending;          // unparsed input kept while a response is written
    private volatile BodyWriter writer;  // the response being written (volatile for writeOverdue())
    private BodyWriter writerKept;       // borrowed for a response, started again for the next one (null: none)
    private boolean closeAfter;          // close once the current response is written
    private boolean draining;            // the server is stopping: no more keep-alive
    private long drainStart;
    private boolean undrainedBody;       // a request body was left unread (we linger on close)

    // the exchange being written, for the access log
    private String logLine, logReferer, logAgent;
    private int logStatus;
    private Method logMethod;

    private long lastActivity;           // last read, or last write progress
    private long requestStart;           // first byte of the request in progress
    private long lingerStart, lingered;
    private int served;

    HttpSession(ServerContext ctx, Transport transport, long now) {
        this.ctx = ctx;
        this.transport = transport;
        this.lastActivity = now;
    }

    /** Reads what arrived: parses, answers every complete request, writes as far as the transport takes. */
    @Override public Step onReadable(IoBuffers io, long now) throws IOException {
        if (state == State.CLOSED) return Step.CLOSE;
        if (state == State.WRITING) return onWritable(io, now);
        ByteBuffer in = io.read;
        in.clear();
        int n = transport.read(in);
        if (n < 0) return end(); // the peer is done; a response in flight was already written in full
        if (n == 0) return Step.READ;
        lastActivity = now;
        in.flip();
        if (state == State.LINGERING) return discard(in);
        return drive(in, io, now);
    }

    /** The transport can take more of the response. */
    @Override public Step onWritable(IoBuffers io, long now) throws IOException {
        if (state == State.CLOSED) return Step.CLOSE;
        if (state != State.WRITING) return onReadable(io, now);
        BodyWriter w = writer;
        long before = w.sent();
        Step step = drive(NO_INPUT, io, now);
        // only progress counts as activity: a call that could write nothing (a driver may call
        // without waiting for the transport) must not keep a stalled reader from timing out
        if (writer != w || w.sent() != before) lastActivity = now;
        return step;
    }

    /** Lingering after a close: input is read and dropped until EOF, the deadline, or too much of it. */
    private Step discard(ByteBuffer in) throws IOException {
        lingered += in.remaining();
        in.position(in.limit());
        while (lingered <= LINGER_MAX_BYTES && transport.hasBufferedInput()) {
            in.clear();
            int n = transport.read(in);
            if (n < 0) return end();
            lingered += Math.max(0, n);
        }
        return lingered > LINGER_MAX_BYTES ? end() : Step.READ;
    }

    /**
     * Called when {@link #deadline()} has passed. A request head that is still arriving gets a 408
     * (then close); anything else closes.
     */
    @Override public Step onTimeout(IoBuffers io, long now) throws IOException {
        Metrics.Timeout kind = timeoutKind(now);
        if (kind != null) ctx.metrics().timedOut(kind);
        if (state == State.READING && !parserIdle() && !inBody() && writer == null) {
            pending = null;
            startResponse(ErrorPages.of(Status.REQUEST_TIMEOUT), null, false, true, io, now);
            undrainedBody = true; // the client may still be sending
            return drive(NO_INPUT, io, now);
        }
        return end();
    }

    /** Which time limit {@link #deadline()} reached; null for a drain closing an idle connection (not a limit). */
    private Metrics.Timeout timeoutKind(long now) {
        return switch (state) {
            case READING -> inBody() ? Metrics.Timeout.BODY
                    : !parserIdle() || served == 0 ? Metrics.Timeout.HEADER
                    : draining ? null : Metrics.Timeout.IDLE;
            case WRITING -> writer != null && now - writer.writeBy() >= 0 ? Metrics.Timeout.MIN_RATE : Metrics.Timeout.WRITE;
            case LINGERING -> Metrics.Timeout.LINGER;
            case CLOSED -> null;
        };
    }

    /**
     * The time ({@link System#nanoTime()} scale) by which the connection must make progress;
     * past it, the model calls {@link #onTimeout}.
     */
    @Override public long deadline() {
        var t = ctx.timeouts();
        return switch (state) {
            case READING -> {
                if (inBody()) yield lastActivity + t.body().toNanos();
                if (!parserIdle()) yield requestStart + t.header().toNanos();
                long idleBy = served == 0 ? transport.began(lastActivity) + t.header().toNanos()
                        : lastActivity + t.idle().toNanos();
                yield draining && idle() ? earlier(idleBy, idleCloseAt(drainStart)) : idleBy;
            }
            case WRITING -> {
                BodyWriter w = writer;
                long stalled = lastActivity + t.write().toNanos();
                yield w == null ? stalled : earlier(stalled, w.writeBy());
            }
            case LINGERING -> lingerStart + LINGER_NANOS;
            case CLOSED -> Long.MIN_VALUE;
        };
    }

    /**
     * The server is stopping (from {@code now}): finish what is in flight and answer the next request
     * with {@code Connection: close}; between requests, close once idle long enough
     * ({@link #deadline()} says when, {@link #onTimeout} then closes). Returns true when the
     * connection can be closed right away (closed, or idle long enough already).
     */
    @Override public boolean drain(long now) {
        if (!draining) {
            draining = true;
            drainStart = now;
        }
        return state == State.CLOSED || (idle() && now - idleCloseAt(drainStart) >= 0);
    }

    /**
     * When a connection that is idle now may be closed by a drain that began at {@code drainStart}:
     * once it has been idle for {@link #DRAIN_IDLE_NANOS}. Reads only what does not change while
     * the connection is idle, so a blocking model's watchdog may call it for a session blocked in
     * an idle read.
     */
    @Override public long idleCloseAt(long drainStart) {
        return later(drainStart, lastActivity + DRAIN_IDLE_NANOS);
    }

    /**
     * Whether the response being written is past the time the minimum write rate gives it (see
     * {@link io.tenk.config.Timeouts#writeDeadline}); safe to call from any thread. A blocking
     * model's write watchdog closes such a connection even though its writes still progress.
     */
    @Override public boolean writeOverdue(long now) {
        BodyWriter w = writer;
        return w != null && now - w.writeBy() >= 0;
    }

    private static long earlier(long a, long b) { return a - b < 0 ? a : b; }

    private static long later(long a, long b) { return a - b < 0 ? b : a; }

    /** Whether the connection is between requests: nothing read of the next one, nothing to write. */
    @Override public boolean idle() {
        return state == State.READING && parserIdle() && pending == null && writer == null;
    }

    /** Whether no byte of a next request (or of a body to discard) has been read. */
    private boolean parserIdle() { return parser == null || parser.idle(); }

    /** Whether a request body is being read (to be discarded). */
    private boolean inBody() { return parser != null && parser.inBody(); }

    /** Serves what {@code in} holds, then gives the parser back if it holds nothing. */
    private Step drive(ByteBuffer in, IoBuffers io, long now) throws IOException {
        Step step = serve(in, io, now);
        if (parser != null && parser.blank() && io.giveBack(parser)) parser = null;
        return step;
    }

    private Step serve(ByteBuffer in, IoBuffers io, long now) throws IOException {
        while (true) {
            if (writer != null) {
                if (!writer.writeTo(transport)) {
                    writer.detachHead();
                    keepUnparsed(in);
                    state = State.WRITING;
                    return Step.WRITE;
                }
                finishExchange(io, now);
                // a response that promised keep-alive keeps it even while draining: the next
                // request gets Connection: close, or the idle connection closes after a grace
                if (closeAfter) return endAfterClose(in, now);
            }
            state = State.READING;
            ByteBuffer src = pending != null ? pending : in;
            if (!src.hasRemaining()) {
                if (src == pending) { pending = null; continue; }
                if (!transport.hasBufferedInput()) return Step.READ;
                // input the transport already holds (decrypted, say) would wait for no event: read it now
                in = io.read;
                in.clear();
                int n = transport.read(in);
                in.flip();
                if (n < 0) return end();
                continue;
            }
            if (parser == null) parser = io.lendParser(ctx.limits());
            boolean wasIdle = parser.idle();
            RequestParser.Result r = parser.parse(src, io.strings);
            if (wasIdle) requestStart = now; // a request read whole at once leaves the parser idle again
            switch (r) {
                case NEED_MORE -> {
                    if (src == pending) pending = null;
                }
                case REQUEST -> {
                    answer(parser.request(), io, now);
                    parser.release(); // an idle connection keeps nothing of its last request
                }
                case ERROR -> {
                    startResponse(ErrorPages.of(parser.error()), null, false, true, io, now);
                    if (ctx.accessLog().enabled()) logLine = parser.rejectedLine();
                    undrainedBody = true;
                }
            }
        }
    }

    /** The site's page for a failure, or the standard one should the site's fail too. */
    private Response errorPage(Status status) {
        try {
            Response r = ctx.handler().errorPage(status);
            if (r != null) return r;
        } catch (RuntimeException | Error e) {
            Fatal.rethrowIfFatal(e);
            ctx.errorLog().error("error page failed", e);
        }
        return ErrorPages.of(status);
    }

    private void answer(Request req, IoBuffers io, long now) {
        Response resp;
        try {
            resp = ctx.handler().handle(req);
            if (resp == null) resp = ErrorPages.of(Status.NOT_FOUND);
        } catch (RuntimeException | Error e) { // a handler's Error is contained too: see Fatal
            Fatal.rethrowIfFatal(e);
            ctx.errorLog().error("request " + printable(req.path()) + " failed", e);
            resp = errorPage(Status.INTERNAL_SERVER_ERROR);
        }
        boolean bodyOk = bodyDrainable(req);
        if (!bodyOk) undrainedBody = true;
        boolean keep = req.keepAlive() && bodyOk && !draining;
        startResponse(resp, req, keep, req.method() != Method.HEAD, io, now);
    }

    /** A small request body is read and discarded so the connection can stay open; a large one is not. */
    private boolean bodyDrainable(Request req) {
        if (!req.hasBody()) return true;
        if (req.bodyLength() == Request.CHUNKED || req.bodyLength() > ctx.maxDiscardedBody()) return false;
        String expect = req.header("Expect");
        return expect == null; // the client waits for 100-continue that we never send: close instead
    }

    private void startResponse(Response resp, Request req, boolean keepAlive, boolean sendBody, IoBuffers io, long now) {
        Version version = req == null ? null : req.version();
        Body body = sendBody && resp.status().allowsContent() ? resp.body() : null;
        if (body == null) resp.body().close();
        BodyWriter w = writerFor(body, io);
        try {
            w.open();
        } catch (IOException e) {
            // the file went away (or became unreadable) between lookup and open: say so, keep the connection
            w.close();
            resp = errorPage(e instanceof AccessDeniedException ? Status.FORBIDDEN
                    : e instanceof NoSuchFileException ? Status.NOT_FOUND : Status.INTERNAL_SERVER_ERROR);
            w = writerFor(resp.body(), io);
        }
        closeAfter = !keepAlive;
        ByteBuffer head = io.head;
        head.clear();
        try {
            ResponseHead.encode(resp, version, keepAlive, head);
        } catch (BufferOverflowException e) {
            head = ByteBuffer.allocate(64 * 1024);
            try {
                ResponseHead.encode(resp, version, keepAlive, head);
            } catch (BufferOverflowException | IllegalArgumentException e2) {
                resp = headRejected(resp, req, w, e2);
                w = writerFor(sendBody ? resp.body() : null, io);
                head.clear();
                ResponseHead.encode(resp, version, false, head);
            }
        } catch (IllegalArgumentException e) {
            resp = headRejected(resp, req, w, e);
            w = writerFor(sendBody ? resp.body() : null, io);
            head.clear();
            ResponseHead.encode(resp, version, false, head);
        }
        // the client said it sends nothing more (Connection: close, HTTP/1.0): the response may wait
        // in the socket for the FIN. Not when the server closes a connection the client would keep:
        // a request it sent meanwhile would make the close a reset, and a held response would be lost.
        if (closeAfter && req != null && !req.keepAlive()) transport.lastResponse();
        head.flip();
        w.head(head);
        w.writeBy(ctx.timeouts().writeDeadline(now, w.length()));
        writer = w;
        ctx.connections().responseStarted();
        logStatus = resp.status().code();
        logMethod = req == null ? null : req.method();
        // the request line is built and the fields looked up only when they will be logged (-q: never)
        boolean logged = req != null && ctx.accessLog().enabled();
        logLine = logged ? req.requestLine() : null;
        logReferer = logged ? req.header("Referer") : null;
        logAgent = logged ? req.header("User-Agent") : null;
    }

    /** The session's writer, started for a response with this body (null for none). */
    private BodyWriter writerFor(Body body, IoBuffers io) {
        BodyWriter w = writerKept;
        if (w == null) writerKept = w = io.lendWriter();
        return w.start(body);
    }

    /** A head that cannot be sent (a control character in a field, or absurdly large): 500, then close. */
    private Response headRejected(Response resp, Request req, BodyWriter w, RuntimeException e) {
        ctx.errorLog().warn("response head rejected for " + (req == null ? "-" : printable(req.path())) + ": "
                + (e.getMessage() == null ? "too large" : e.getMessage()));
        w.close();
        resp.body().close();
        closeAfter = true;
        return ErrorPages.of(Status.INTERNAL_SERVER_ERROR);
    }

    private void finishExchange(IoBuffers io, long now) {
        logExchange(now);
        writer.close();
        writer = null;
        if (io.giveBack(writerKept)) writerKept = null;
        logLine = logReferer = logAgent = null;
        ctx.connections().responseEnded();
        served++;
    }

    /** Logs and counts the exchange whose response is ending; asks for the peer's address only for a log that writes. */
    private void logExchange(long now) {
        AccessLog log = ctx.accessLog();
        if (log.enabled()) log.log(transport.remote(), logLine, logStatus, writer.bodyBytesWritten(), logReferer, logAgent);
        ctx.metrics().exchange(logMethod, logStatus, writer.bodyBytesWritten(), now - requestStart);
    }

    /**
     * The response said close. With input unread, or still coming, the output side closes first
     * and the rest is read and dropped (lingering), so the client reads the whole response
     * rather than a reset; otherwise the connection closes.
     */
    private Step endAfterClose(ByteBuffer in, long now) throws IOException {
        boolean more = in.hasRemaining() || (pending != null && pending.hasRemaining()) || !parserIdle();
        in.position(in.limit());
        pending = null;
        if (more || undrainedBody) {
            state = State.LINGERING;
            lingerStart = now;
            transport.shutdownOutput();
            return Step.READ;
        }
        return end();
    }

    /**
     * The connection is over; the driver closes it ({@link #close}), when it has let go of the
     * socket: a selector's driver closes a socket only once it is no longer registered, which
     * spares the JDK's half-close of a registered one.
     */
    private Step end() {
        state = State.CLOSED;
        return Step.CLOSE;
    }

    /** Copies input that must wait for the current response out of the I/O thread's buffer. */
    private void keepUnparsed(ByteBuffer in) {
        if (in == pending || !in.hasRemaining()) return;
        ByteBuffer own = ByteBuffer.allocate(in.remaining() + (pending == null ? 0 : pending.remaining()));
        if (pending != null) own.put(pending);
        own.put(in).flip();
        pending = own;
    }

    /**
     * Ends the connection: logs a response cut short, releases it, and closes the transport.
     * Idempotent.
     */
    @Override public void close() {
        if (writer != null) {
            logExchange(System.nanoTime());
            writer.close();
            writer = null;
            ctx.connections().responseEnded();
        }
        pending = null;
        state = State.CLOSED;
        transport.close();
    }
}
