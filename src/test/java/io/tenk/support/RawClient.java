package io.tenk.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw-socket HTTP client for exact-byte protocol tests: sends bytes as given and reads
 * responses by their framing (Content-Length), so tests can see every byte the server wrote.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream leftover = new ByteArrayOutputStream();

    public RawClient(InetSocketAddress address) throws IOException {
        this(address, 5000);
    }

    public RawClient(InetSocketAddress address, int timeoutMillis) throws IOException {
        this(connect(address, timeoutMillis));
    }

    /** A client over a socket already connected (a TLS socket, say). */
    public RawClient(Socket connected) throws IOException {
        socket = connected;
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    private static Socket connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        s.connect(address, timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        s.setTcpNoDelay(true);
        return s;
    }

    public RawClient send(String s) throws IOException { return send(s.getBytes(StandardCharsets.ISO_8859_1)); }

    public RawClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    public Socket socket() { return socket; }

    /** Reads one response (head and, unless {@code head} is true or the status has none, its body). */
    public HttpReply read() throws IOException { return read(false); }

    public HttpReply read(boolean headRequest) throws IOException {
        byte[] head = readHead();
        HttpReply r = HttpReply.parseHead(head);
        long len = r.contentLength();
        byte[] body = new byte[0];
        if (!headRequest && len > 0 && r.status() != 304 && r.status() != 204) {
            body = readExactly((int) len);
        }
        return r.withBody(body);
    }

    /** Reads responses until {@code n} were read. */
    public List<HttpReply> read(int n) throws IOException {
        List<HttpReply> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(read());
        return out;
    }

    private byte[] readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] pre = leftover.toByteArray();
        leftover.reset();
        int matched = 0;
        int idx = 0;
        while (true) {
            int c;
            if (idx < pre.length) c = pre[idx++] & 0xff;
            else c = in.read();
            if (c < 0) throw new IOException("connection closed before a complete response head (" + b.size() + " bytes read)");
            b.write(c);
            matched = switch (matched) {
                case 0, 2 -> c == '\r' ? matched + 1 : 0;
                case 1, 3 -> c == '\n' ? matched + 1 : (c == '\r' ? 1 : 0);
                default -> 0;
            };
            if (matched == 4) {
                if (idx < pre.length) leftover.write(pre, idx, pre.length - idx);
                return b.toByteArray();
            }
        }
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        byte[] pre = leftover.toByteArray();
        leftover.reset();
        int got = Math.min(pre.length, n);
        System.arraycopy(pre, 0, out, 0, got);
        if (pre.length > n) leftover.write(pre, n, pre.length - n);
        while (got < n) {
            int r = in.read(out, got, n - got);
            if (r < 0) throw new IOException("connection closed after " + got + " of " + n + " body bytes");
            got += r;
        }
        return out;
    }

    /** Reads everything until the server closes (or the timeout passes); returns it. */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(leftover.toByteArray());
        leftover.reset();
        byte[] buf = new byte[8192];
        try {
            int r;
            while ((r = in.read(buf)) >= 0) b.write(buf, 0, r);
        } catch (SocketTimeoutException e) {
            throw new IOException("server did not close within the timeout; got: "
                    + new String(b.toByteArray(), StandardCharsets.ISO_8859_1), e);
        } catch (IOException e) {
            // a reset after the response counts as closed
        }
        return b.toByteArray();
    }

    @Override public void close() throws IOException { socket.close(); }
}
