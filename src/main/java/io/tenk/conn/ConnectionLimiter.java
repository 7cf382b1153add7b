package io.tenk.conn;

import io.tenk.handler.ErrorPages;
import io.tenk.http.ResponseHead;
import io.tenk.http.Status;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts open connections against {@code --max-connections}, and the responses being written, for every model: whoever accepts a
 * connection calls {@link #tryAcquire()} before serving it and {@link #release()} exactly once
 * when it closes. A connection refused here gets {@link #rejection()} (a 503 with
 * {@code Connection: close}) and is closed: an overloaded server answers, it does not throw.
 */
public final class ConnectionLimiter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger responding = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    public ConnectionLimiter(int max) {
        if (max < 1) throw new IllegalArgumentException("max connections must be at least 1");
        this.max = max;
    }

    /** Takes a slot; false when {@code max} connections are already open (the caller rejects). */
    public boolean tryAcquire() {
        while (true) {
            int n = open.get();
            if (n >= max) return false;
            if (open.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives back a slot taken by {@link #tryAcquire()}. */
    public void release() {
        open.decrementAndGet();
    }

    public int max() { return max; }

    /** Connections open now. */
    public int open() { return open.get(); }

    /** A connection was refused (over the limit, or a full queue): counted for the metrics. */
    public void refused() { refused.increment(); }

    /** Connections refused so far. */
    public long refusedCount() { return refused.sum(); }

    /** Responses being written right now, over every connection (what a stop waits for). */
    public int responding() { return responding.get(); }

    /** A session began writing a response; {@link #responseEnded()} follows exactly once. */
    void responseStarted() { responding.incrementAndGet(); }

    void responseEnded() { responding.decrementAndGet(); }

    /** The bytes sent to a connection refused for lack of slots (head and page, with a current Date). */
    public static ByteBuffer rejection() {
        ByteBuffer b = ByteBuffer.allocate(1024);
        var resp = ErrorPages.of(Status.SERVICE_UNAVAILABLE);
        resp.headers().set("Retry-After", "1");
        ResponseHead.encode(resp, null, false, b);
        if (resp.body() instanceof io.tenk.http.Body.Bytes bytes) b.put(bytes.data());
        return b.flip();
    }
}
