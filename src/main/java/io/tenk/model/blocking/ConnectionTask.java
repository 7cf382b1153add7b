package io.tenk.model.blocking;

import io.tenk.conn.Fatal;
import io.tenk.conn.IoBuffers;
import io.tenk.conn.ServerContext;
import io.tenk.conn.Session;
import io.tenk.conn.Step;
import io.tenk.conn.Transport;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One connection served by one thread, the way every blocking model does it: wait for what the
 * {@link Session} asked for, call it, repeat until it closes. The thread is whatever the model
 * gives it (its own, a new one, a pool's, a virtual one).
 *
 * <p>Timeouts: a read waits at most until the session's {@link Session#deadline()}, then the
 * session decides (408, or close). A write that blocks cannot time out by itself: the model's
 * {@link BlockingModel watchdog} closes a connection whose write call stays stuck longer than the
 * write timeout, or whose response is past its deadline.
 *
 * <p>Stopping: another thread calls {@link #stop()}, and the session drains ({@link Session#drain}):
 * an exchange under way finishes, the next request is answered with {@code Connection: close},
 * and a read idle between requests is closed by the watchdog ({@link #closeIfDrainedIdle}) once
 * the session has been idle briefly.
 */
final class ConnectionTask implements Runnable {
    /** A blocking connection reads into a small buffer of its own; heads use pooled buffers. */
    private static final int READ_SIZE = 4096;

    private final ServerContext ctx;
    private final BufferPool heads;
    private final BlockingTransport transport;
    private final Transport sessionTransport; // the socket's, or TLS over it
    private final Consumer<ConnectionTask> onEnd;
    private Session session;    // made when the task starts running: time queued is not the client's

    // shared with the stopping thread and the watchdog
    private volatile boolean stopping;
    private volatile long stopAt;        // when stop() was called
    private volatile boolean idleRead;   // reading between requests: safe to close while blocked

    /** @param onEnd runs on the task's thread once the connection is closed */
    ConnectionTask(ServerContext ctx, BufferPool heads, SocketChannel ch, Consumer<ConnectionTask> onEnd) throws IOException {
        this.ctx = ctx;
        this.heads = heads;
        this.transport = new BlockingTransport(ch);
        this.sessionTransport = ctx.layer().over(transport);
        this.onEnd = onEnd;
    }

    @Override public void run() {
        long now = System.nanoTime();
        session = Session.open(ctx, sessionTransport, now);
        ByteBuffer read = ByteBuffer.allocate(READ_SIZE);
        try {
            long retryMillis = 1;
            Step step = Step.READ;
            while (step != Step.CLOSE) {
                now = System.nanoTime();
                if (now - session.deadline() >= 0) {
                    step = call(null, read, now);
                } else if (step == Step.WRITE) {
                    // a blocking write stopped short: transferTo on a virtual thread returns 0 when the
                    // socket is full instead of parking. Retry with a short back-off rather than spin,
                    // until the session's deadline (only progress moves it).
                    long before = transport.moved();
                    step = call(Step.WRITE, read, now);
                    if (transport.moved() != before) {
                        retryMillis = 1;
                    } else if (step == Step.WRITE) {
                        Thread.sleep(retryMillis);
                        retryMillis = Math.min(retryMillis * 2, 8);
                    }
                } else {
                    if (stopping && session.drain(stopAt)) break;
                    transport.readTimeout(session.deadline() - now);
                    idleRead = session.idle();
                    // stop() may have come after the check above, unseen by the watchdog
                    if (idleRead && stopping && session.drain(stopAt)) break;
                    step = call(Step.READ, read, now);
                }
            }
        } catch (IOException e) {
            if (ctx.errorLog().debug()) ctx.errorLog().debug("connection " + transport.remote() + " ended: " + ErrorLog.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            if (Fatal.isFatal(e)) {
                ctx.fatal().failed("the thread serving " + transport.remote(), e);
            } else { // this thread serves this connection only: it ends, the server goes on
                ctx.errorLog().error("connection " + transport.remote() + " failed", e);
            }
        } finally {
            session.close();
            onEnd.accept(this);
        }
    }

    /** Runs one session event with a pooled head buffer. */
    private Step call(Step event, ByteBuffer read, long now) throws IOException {
        ByteBuffer head = heads.take();
        try {
            IoBuffers io = new IoBuffers(read, head);
            if (event == Step.READ) return session.onReadable(io, now);
            if (event == Step.WRITE) return session.onWritable(io, now);
            return session.onTimeout(io, now);
        } finally {
            idleRead = false;
            heads.give(head);
        }
    }

    /** The server is stopping (any thread): the session drains (see the class comment). */
    void stop() {
        if (stopping) return;
        stopAt = System.nanoTime();
        stopping = true;
    }

    /**
     * Watchdog thread only, while stopping: closes a connection blocked in a read between requests
     * once it has been idle long enough ({@link Session#idleCloseAt}).
     */
    void closeIfDrainedIdle(long now) {
        Session s = session;
        if (stopping && idleRead && transport.reading() && s != null && now - s.idleCloseAt(stopAt) >= 0) {
            transport.close();
        }
    }

    /** Closes the connection whatever it is doing (any thread); its thread then cleans up. */
    void kill() {
        stopping = true;
        transport.kill();
    }

    /**
     * Watchdog thread only: kills the connection when a write call has been stuck longer than the
     * write timeout, or its response is past the deadline the minimum write rate gives it.
     */
    void watch(long now, long writeTimeoutNanos) {
        Session s = session; // set by the task's thread before it writes
        if (s == null) return;
        if (transport.writeStuck(now, writeTimeoutNanos)) {
            ctx.errorLog().debug("connection " + transport.remote() + " closed: write made no progress");
            kill();
        } else if (s.writeOverdue(now)) {
            ctx.errorLog().debug("connection " + transport.remote() + " closed: response written slower than the minimum rate");
            kill();
        }
    }

    /** The connection's socket (for a refusal that replaces the task). */
    SocketChannel channel() { return transport.channel(); }
}
