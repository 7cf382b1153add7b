package io.tenk.conn;

import io.tenk.config.Timeouts;
import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Limits;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Metrics;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A keep-alive connection waiting for its next request holds nothing of the last one: neither
 * the request (its head's strings), nor what the access log took from it, nor the response. Ten thousand idle
 * connections should cost ten thousand small sessions, not ten thousand old requests.
 */
class IdleSessionMemoryTest {

    @Test void anIdleConnectionDoesNotHoldItsLastRequest() throws IOException {
        List<WeakReference<Object>> seen = new ArrayList<>();
        byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
        Timeouts t = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        ServerContext ctx = new ServerContext(req -> {
                    seen.add(new WeakReference<>(req));
                    seen.add(new WeakReference<>(req.header("User-Agent")));
                    seen.add(new WeakReference<>(req.path()));
                    byte[] content = body.clone();
                    Response r = new Response(Status.OK, new Headers().add("Content-Length", "2"), new Body.Bytes(content));
                    seen.add(new WeakReference<>(r));
                    seen.add(new WeakReference<>(content)); // the writer, kept for the next response, lets go of it
                    return r;
                },
                new Limits(8192, 65536, 100), t, 1024, AccessLog.to(new ByteArrayOutputStream()),
                new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false), new ConnectionLimiter(10),
                (what, cause) -> { throw new AssertionError(what, cause); }, Metrics.disabled());
        var transport = new SessionOverTransportTest.MemoryTransport(
                "GET /some/page?q=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: agent/" + System.nanoTime() + "\r\nReferer: /r\r\n\r\n",
                4096, Integer.MAX_VALUE);
        Session s = Session.open(ctx, transport, System.nanoTime());

        Step step = readOnce(s);

        assertEquals(Step.READ, step);
        assertTrue(transport.out().startsWith("HTTP/1.1 200 OK\r\n"), transport.out());
        assertTrue(s.idle());
        assertEquals(5, seen.size());
        awaitCollected(seen); // s stays reachable: it is used below
        assertTrue(s.idle());
    }

    /**
     * One read with what an event loop lends its connections, dropped afterwards: the loop's
     * recent strings may keep the request's strings for the next connection that sends them (a
     * bounded table per loop, not per connection); the session must not.
     */
    private static Step readOnce(Session s) throws IOException {
        IoBuffers io = IoBuffers.eventLoop(4096);
        assertTrue(io.read.hasArray(), "reads land in a heap buffer, whose whole lines the parser does not copy");
        return s.onReadable(io, System.nanoTime());
    }

    /** Collects until every referent is gone, or fails after 10 s naming what is still held. */
    private static void awaitCollected(List<WeakReference<Object>> refs) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (refs.stream().anyMatch(r -> r.get() != null)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("still held by the idle session: "
                        + refs.stream().map(WeakReference::get).filter(o -> o != null).map(o -> o.getClass().getSimpleName()).toList());
            }
            System.gc();
            Thread.onSpinWait();
        }
    }
}
