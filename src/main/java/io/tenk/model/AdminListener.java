package io.tenk.model;

import io.tenk.handler.ErrorPages;
import io.tenk.http.Body;
import io.tenk.http.Limits;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.RequestParser;
import io.tenk.http.Response;
import io.tenk.http.ResponseHead;
import io.tenk.observe.AdminPages;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;

/**
 * The admin listener ({@code --admin ADDR}): a small server apart from the site's, for metrics and
 * health checks. It is low-traffic by nature (a scraper, a load balancer's probes), so it is kept
 * simple: one virtual thread per connection, blocking I/O, one request per connection (answered
 * with {@code Connection: close}), the same strict parser as the sites, {@link AdminPages} for
 * the answers. At most {@link #MAX_CONNECTIONS} connections are served at once (more are closed
 * at once) and each has {@link #TIMEOUT_MILLIS} to send its request, so a client cannot hold it.
 * It runs while the server drains, so a load balancer sees {@code /readyz} turn 503.
 */
public final class AdminListener implements AutoCloseable {
    static final int MAX_CONNECTIONS = 32;
    static final int TIMEOUT_MILLIS = 5_000;
    private static final Limits LIMITS = new Limits(1024, 8 * 1024, 50);

    private final ServerSocket server;
    private final AdminPages pages;
    private final ErrorLog log;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Thread acceptor;
    private volatile boolean closed;

    private AdminListener(ServerSocket server, AdminPages pages, ErrorLog log) {
        this.server = server;
        this.pages = pages;
        this.log = log;
        this.acceptor = Thread.ofPlatform().daemon().name("tenk-admin").unstarted(this::acceptLoop);
    }

    /** Listens on {@code address} and serves {@code pages} until {@link #close()}. */
    public static AdminListener start(InetSocketAddress address, AdminPages pages, ErrorLog log) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, 64);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        AdminListener a = new AdminListener(s, pages, log);
        a.acceptor.start();
        return a;
    }

    /** The address listened on (with the real port when 0 was asked for). */
    public InetSocketAddress address() { return (InetSocketAddress) server.getLocalSocketAddress(); }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (closed) return;
                log.warn("admin listener: accept failed: " + ErrorLog.describe(e));
                continue;
            }
            if (!slots.tryAcquire()) {
                Acceptor.closeQuietly(s);
                continue;
            }
            Thread.ofVirtual().name("tenk-admin-conn").start(() -> {
                try {
                    serve(s);
                } finally {
                    Acceptor.closeQuietly(s);
                    slots.release();
                }
            });
        }
    }

    private void serve(Socket s) {
        try {
            s.setSoTimeout(TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            RequestParser parser = new RequestParser(LIMITS);
            byte[] buf = new byte[2048];
            Response resp;
            Request req = null;
            while (true) {
                int n = in.read(buf);
                if (n < 0) return;
                RequestParser.Result r = parser.parse(ByteBuffer.wrap(buf, 0, n));
                if (r == RequestParser.Result.NEED_MORE) continue;
                if (r == RequestParser.Result.REQUEST) {
                    req = parser.request();
                    resp = pages.answer(req);
                } else {
                    resp = ErrorPages.of(parser.error());
                }
                break;
            }
            write(s.getOutputStream(), resp, req);
            s.shutdownOutput();
        } catch (SocketException e) {
            // the client went away or timed out: routine
        } catch (IOException | RuntimeException e) {
            log.debug("admin connection: " + ErrorLog.describe(e));
        }
    }

    private static void write(OutputStream out, Response resp, Request req) throws IOException {
        byte[] body = resp.body() instanceof Body.Bytes b ? b.data() : new byte[0];
        ByteBuffer head = ByteBuffer.allocate(1024);
        ResponseHead.encode(resp, req == null ? null : req.version(), false, head);
        out.write(head.array(), 0, head.position());
        if (req == null || req.method() != Method.HEAD) out.write(body);
        out.flush();
    }

    /** Stops listening; connections being answered finish on their own (each within its timeout). */
    @Override public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closed anyway
        }
    }
}
