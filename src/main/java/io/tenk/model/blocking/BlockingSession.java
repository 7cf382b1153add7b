package io.tenk.model.blocking;

import io.tenk.conn.Fatal;
import io.tenk.conn.HttpSession;
import io.tenk.conn.HttpSession.Step;
import io.tenk.conn.IoBuffers;
import io.tenk.model.Acceptor;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The one session loop every blocking model runs, on whatever thread the model gives it: read →
 * parse → handle → write, until the connection ends. Files go to the socket with
 * {@code transferTo} (the channel is blocking, so every write completes).
 *
 * <p>Timeouts: a read waits at most until the session's {@link HttpSession#deadline()} (SO_TIMEOUT
 * on the channel's socket adaptor, set to the time left), then the session decides (408, or
 * close). A blocking write cannot time out by itself: the model's {@link BlockingModel watchdog}
 * watches {@link #busySince} and the session's write progress and closes the socket when a write
 * stalls longer than the write timeout.
 *
 * <p>Stopping: another thread calls {@link #stop()}. A session blocked in a read between requests
 * is closed at once; one in the middle of an exchange finishes it (the response says
 * {@code Connection: close} when it can) and then closes.
 */
final class BlockingSession implements Runnable {
    /** Blocking sessions read into a small chunk of their own; heads and writes use pooled buffers. */
    private static final int READ_CHUNK = 4096;

    private final BlockingModel model;
    private final SocketChannel ch;
    private final String remote;
    private HttpSession session;    // made when the session starts running: time queued is not the client's

    // shared with the stopping thread and the watchdog
    private volatile boolean stopping;
    private volatile boolean idleRead;   // blocked in a read between requests: safe to close
    private volatile long busySince;     // nonzero while the session runs (parsing, handling, writing)

    // the watchdog's own notes
    private long seenBusy, seenProgress, seenAt;

    BlockingSession(BlockingModel model, SocketChannel ch) throws IOException {
        this.model = model;
        this.ch = ch;
        InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
        this.remote = peer == null ? "-" : peer.getAddress().getHostAddress();
    }

    @Override public void run() {
        session = new HttpSession(model.ctx, remote, System.nanoTime());
        try {
            Socket socket = ch.socket();
            InputStream input = socket.getInputStream();
            byte[] chunk = new byte[READ_CHUNK];
            boolean outputShut = false;
            long retryMillis = 1;
            Step step = Step.READ;
            while (step != Step.CLOSE) {
                switch (step) {
                    case WRITE -> {
                        // a blocking write stopped short: transferTo on a virtual thread returns 0 when
                        // the socket is full instead of parking. Retry with a short back-off rather
                        // than spin, until the session's write deadline (only progress moves it).
                        if (System.nanoTime() - session.deadline() >= 0) {
                            step = call(null, null);
                            continue;
                        }
                        long before = session.progress();
                        step = call(Step.WRITE, null);
                        if (session.progress() != before) {
                            retryMillis = 1;
                        } else if (step == Step.WRITE) {
                            Thread.sleep(retryMillis);
                            retryMillis = Math.min(retryMillis * 2, 8);
                        }
                    }
                    case LINGER -> {
                        if (!outputShut) {
                            outputShut = true;
                            ch.shutdownOutput();
                        }
                        step = read(step, socket, input, chunk);
                    }
                    default -> step = read(step, socket, input, chunk);
                }
            }
        } catch (IOException e) {
            model.log.debug("connection " + remote + " ended: " + ErrorLog.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            if (Fatal.isFatal(e)) {
                model.ctx.fatal().failed("the thread serving " + remote, e);
            } else { // this thread serves this connection only: it ends, the server goes on
                model.log.error("connection " + remote + " failed", e);
            }
        } finally {
            session.close();
            Acceptor.closeQuietly(ch);
            model.finished(this);
        }
    }

    private Step read(Step current, Socket socket, InputStream input, byte[] chunk) throws IOException {
        if (stopping && session.drain()) return Step.CLOSE;
        long left = session.deadline() - System.nanoTime();
        if (left <= 0) return call(null, null);
        if (session.idle()) {
            idleRead = true;
            if (stopping) return Step.CLOSE; // stop() may have missed idleRead: re-check after publishing it
        }
        int n;
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000)));
            n = input.read(chunk);
        } catch (SocketTimeoutException e) {
            return current; // the next pass finds the deadline passed
        } finally {
            idleRead = false;
        }
        if (n < 0) return Step.CLOSE;
        return call(Step.READ, ByteBuffer.wrap(chunk, 0, n));
    }

    /** Runs one session event with pooled buffers, marked busy for the watchdog. */
    private Step call(Step event, ByteBuffer in) throws IOException {
        IoBuffers io = model.buffers.take();
        long now = System.nanoTime();
        busySince = now == 0 ? 1 : now;
        try {
            if (event == Step.READ) return session.onRead(in, ch, io, now);
            if (event == Step.WRITE) return session.onWritable(ch, io, now);
            return session.onTimeout(ch, io, now);
        } finally {
            busySince = 0;
            model.buffers.give(io);
        }
    }

    /** The server is stopping (any thread): close now if idle, else after the exchange in flight. */
    void stop() {
        stopping = true;
        if (idleRead) Acceptor.closeQuietly(ch);
    }

    /** Closes the socket whatever the session is doing (any thread); its thread then cleans up. */
    void kill() {
        stopping = true;
        try {
            // shutdown(2) first: it also ends a sendfile blocked in the kernel, which a close from
            // another thread does not reach when the writer is a virtual thread
            ch.shutdownOutput();
            ch.shutdownInput();
        } catch (IOException e) {
            // not connected any more: the close below is all that is left
        }
        Acceptor.closeQuietly(ch);
    }

    /** Watchdog thread only: kills the session when it stayed busy without write progress for too long. */
    void watch(long now, long writeTimeoutNanos) {
        long since = busySince;
        HttpSession s = session; // set by the session's thread before busySince
        if (since == 0 || s == null) {
            seenBusy = 0;
            return;
        }
        long progress = s.progress();
        // busy spells may follow each other (a write retried): only progress or idleness resets the clock
        if (seenBusy == 0 || progress != seenProgress) {
            seenBusy = since;
            seenProgress = progress;
            seenAt = now;
        } else if (now - seenAt > writeTimeoutNanos) {
            model.log.debug("connection " + remote + " closed: write made no progress");
            kill();
        }
    }

    /** The session's socket (for a refusal that replaces the session). */
    SocketChannel channel() { return ch; }
}
