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
import java.util.Arrays;
import java.util.List;

/**
 * A raw-socket HTTP client for exact-byte protocol tests: sends bytes as given and reads
 * responses by their framing (Content-Length), so tests can see every byte the server wrote.
 * It reads ahead: after {@link #read()}, bytes of a next response may be in its buffer, so a
 * test that goes on reading the {@link #socket()} itself does so only after whole responses
 * the server sent nothing behind.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Bytes read from the socket and not yet returned: {@code buf[pos..limit)}. */
    private byte[] buf = new byte[8192];
    private int pos;
    private int limit;

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

    /**
     * Reads up to the blank line that ends a head. Reads what the socket has (not a byte per
     * system call) and keeps what follows the head for the body and the next response.
     */
    private byte[] readHead() throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = Math.max(pos, pos + scanned - 3); i + 3 < limit; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                    byte[] head = Arrays.copyOfRange(buf, pos, i + 4);
                    pos = i + 4;
                    return head;
                }
            }
            scanned = limit - pos;
            if (fill() < 0) {
                throw new IOException("connection closed before a complete response head (" + (limit - pos) + " bytes read)");
            }
        }
    }

    /** Reads more into the buffer (growing it when full); the count read, or -1 at the end of the stream. */
    private int fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        int r = in.read(buf, limit, buf.length - limit);
        if (r > 0) limit += r;
        return r;
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        int got = Math.min(limit - pos, n);
        System.arraycopy(buf, pos, out, 0, got);
        pos += got;
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
        b.write(buf, pos, limit - pos);
        pos = limit;
        byte[] chunk = new byte[8192];
        try {
            int r;
            while ((r = in.read(chunk)) >= 0) b.write(chunk, 0, r);
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
