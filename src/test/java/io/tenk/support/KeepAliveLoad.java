package io.tenk.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that send requests back to back on kept-alive connections, as a load generator does, and
 * check every response. A request that was sent and got no complete {@code 200} response counts as
 * failed, whatever the reason (reset, end of stream, refused connection): nothing is retried. A
 * response that says {@code Connection: close} ends its connection (the client then sees the
 * close and opens a new one) and counts as a connection retired.
 *
 * <p>Each client sends at most one request every {@link #PACE_NANOS}: a connection never idles
 * anywhere near the half second after which a draining server closes an idle one, so every
 * connection stays busy through a roll or a drain, which is what the tests need, without taking
 * the CPU from the servers and the other tests running beside them (as an unpaced loop on a
 * two-core machine does: each request costs the client and the server some 0.1 ms of CPU).
 */
public final class KeepAliveLoad implements AutoCloseable {
    /** The least time between two requests of one client: 100 a second each. */
    static final long PACE_NANOS = 10_000_000;
    private final InetSocketAddress address;
    private final String request;
    private final String expectedBody;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger retired = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;
    private volatile boolean reconnect = true;

    public KeepAliveLoad(InetSocketAddress address, String path, String expectedBody) {
        this.address = address;
        this.request = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
        this.expectedBody = expectedBody;
    }

    /** Starts {@code n} clients. */
    public KeepAliveLoad start(int n) {
        for (int i = 0; i < n; i++) threads.add(Thread.ofPlatform().name("keep-alive-load-" + i).start(this::run));
        return this;
    }

    /** After a retired connection, stop instead of opening a new one (the server is going away). */
    public KeepAliveLoad noReconnect() {
        reconnect = false;
        return this;
    }

    private void run() {
        while (!stopping) {
            RawClient c;
            try {
                c = new RawClient(address, 10_000);
            } catch (IOException e) {
                if (!stopping) failures.add("connect: " + e);
                return;
            }
            try (c) {
                long next = System.nanoTime();
                while (!stopping) {
                    next += PACE_NANOS;
                    long early = next - System.nanoTime();
                    if (early > 0) java.util.concurrent.locks.LockSupport.parkNanos(early);
                    else next = System.nanoTime(); // behind: no burst to catch up
                    HttpReply r;
                    try {
                        r = c.send(request).read();
                    } catch (IOException e) {
                        if (!stopping) failures.add("request " + (answered.get() + 1) + ": " + e);
                        return;
                    }
                    if (r.status() != 200 || !expectedBody.equals(r.bodyText())) {
                        failures.add("unexpected response: " + r.statusLine());
                        return;
                    }
                    answered.incrementAndGet();
                    if ("close".equalsIgnoreCase(r.header("Connection"))) {
                        retired.incrementAndGet();
                        try {
                            if (c.readToEnd().length != 0) failures.add("bytes after a response that said close");
                        } catch (IOException e) {
                            failures.add("the connection stayed open after Connection: close: " + e.getMessage());
                        }
                        break;
                    }
                }
            } catch (IOException e) {
                // closing our own socket
            }
            if (!reconnect) return;
        }
    }

    public int answered() { return answered.get(); }

    public int retired() { return retired.get(); }

    public List<String> failures() { return List.copyOf(failures); }

    /** Waits (at most {@code millis}) until every client has ended by itself. */
    public boolean awaitEnded(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0 || !t.join(java.time.Duration.ofMillis(left))) return false;
        }
        return true;
    }

    /** Stops the clients; a request cut by the stop itself is not counted. */
    @Override public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) t.join(15_000);
    }
}
