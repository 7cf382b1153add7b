package io.tenk.model;

import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.observe.LogThrottle;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Answers a connection the server will not serve (over {@code --max-connections}, or a full pool
 * queue) with a 503 and closes it, off the caller's thread. The client's request is read and
 * dropped for up to a second first, so the close does not reset the connection before the client
 * has read the answer.
 */
public final class Refusal {
    private static final int LINGER_MILLIS = 1000;
    private static final int LINGER_BYTES = 64 * 1024;
    private static final LogThrottle LOG = new LogThrottle(LogThrottle.ONE_SECOND);

    private Refusal() {}

    /** Where the head of an encoded response ends (after its blank line). */
    private static int headLength(ByteBuffer b) {
        for (int i = b.position(); i + 3 < b.limit(); i++) {
            if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') return i + 4 - b.position();
        }
        return b.remaining();
    }

    /**
     * Refuses {@code ch} on a virtual thread: one access-log line (status 503) per refusal, and at
     * most one error-log line per second for all of them.
     */
    public static void refuse(SocketChannel ch, ServerContext ctx, String why) {
        if (LOG.allow()) ctx.errorLog().warn(why + ": refusing new connections with 503");
        Thread.ofVirtual().name("tenk-refusal").start(() -> answer(ch, ctx));
    }

    /** Writes the 503, half-closes, drains briefly, closes (blocking; the calling thread's time). */
    private static void answer(SocketChannel ch, ServerContext ctx) {
        String remote = "-";
        try {
            if (ch.getRemoteAddress() instanceof InetSocketAddress a) remote = a.getAddress().getHostAddress();
            ch.configureBlocking(true);
            ByteBuffer out = ConnectionLimiter.rejection();
            int head = headLength(out);
            int size = out.remaining();
            while (out.hasRemaining()) ch.write(out);
            ctx.accessLog().log(remote, null, 503, size - head, null, null);
            ch.shutdownOutput();
            Socket socket = ch.socket();
            socket.setSoTimeout(LINGER_MILLIS);
            InputStream input = socket.getInputStream();
            byte[] sink = new byte[1024];
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            int total = 0;
            while (total < LINGER_BYTES && System.nanoTime() - deadline < 0) {
                int n = input.read(sink);
                if (n < 0) break;
                total += n;
            }
        } catch (IOException e) {
            // the client left, or lingered too long: nothing more to do
        } finally {
            Acceptor.closeQuietly(ch);
        }
    }
}
