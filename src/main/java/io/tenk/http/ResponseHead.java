package io.tenk.http;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Encodes a response head (RFC 9112 §4, §6): status line, the fields every response carries, the
 * handler's fields, and the framing. One place decides framing so no handler can get it wrong:
 * {@code Content-Length} is the body's exact length (also for HEAD, which sends GET's head), and
 * it is omitted for statuses that carry no content.
 *
 * <p>It also holds the one list of the response fields tenk owns ({@link #owns}): those it writes
 * here, and {@code Content-Range}, which the file layer sets when it answers a range. Configured
 * fields and rules may set none of them.
 */
public final class ResponseHead {
    private static final byte[] HTTP11 = bytes("HTTP/1.1 ");
    private static final byte[] SERVER = bytes("\r\nServer: tenk\r\nDate: ");
    private static final byte[] CONTENT_LENGTH = bytes("Content-Length: ");
    private static final byte[] CONN_CLOSE = bytes("Connection: close\r\n");
    private static final byte[] CONN_KEEP_ALIVE = bytes("Connection: keep-alive\r\n");

    private ResponseHead() {}

    /**
     * Writes the head into {@code out}.
     *
     * @param keepAlive       whether the connection stays open after this response
     * @param requestVersion  the request's version (null when unknown, e.g. a parse error): an
     *                        HTTP/1.0 client is told {@code keep-alive} explicitly, an HTTP/1.1 one is
     *                        told only {@code close}
     * @return the number of bytes written
     * @throws BufferOverflowException when the head does not fit (the caller retries with a larger buffer)
     * @throws IllegalArgumentException when a field name or value carries CR, LF or another control
     *         character (a handler bug or an injection attempt; never sent)
     */
    public static int encode(Response response, Version requestVersion, boolean keepAlive, ByteBuffer out) {
        int start = out.position();
        Status status = response.status();
        out.put(HTTP11).put(status.codeBytes()).put((byte) ' ');
        putAscii(out, status.reason());
        out.put(SERVER).put(HttpDate.nowBytes()).put((byte) '\r').put((byte) '\n');
        Headers h = response.headers();
        byte[] encoded = h.encoded();
        if (encoded != null) out.put(encoded);
        else putFields(out, h);
        if (status.allowsContent()) {
            out.put(CONTENT_LENGTH);
            putLong(out, response.body().length());
            out.put((byte) '\r').put((byte) '\n');
        }
        if (!keepAlive) out.put(CONN_CLOSE);
        else if (requestVersion == Version.HTTP_1_0) out.put(CONN_KEEP_ALIVE);
        out.put((byte) '\r').put((byte) '\n');
        return out.position() - start;
    }

    /**
     * Encodes {@code fields} once and keeps the bytes with them, for every unchanged
     * {@link Headers#copy() copy} of them to be written with one copy of bytes: for fields kept for
     * many responses. A change to the fields or to a copy drops the bytes from it.
     *
     * @throws IllegalArgumentException when a field could never be sent (as {@link #encode} would)
     */
    public static void keepEncoded(Headers fields) {
        ByteBuffer buf = ByteBuffer.allocate(256);
        while (true) {
            try {
                putFields(buf.clear(), fields);
                break;
            } catch (BufferOverflowException e) {
                buf = ByteBuffer.allocate(2 * buf.capacity());
            }
        }
        fields.keepEncoded(java.util.Arrays.copyOf(buf.array(), buf.position()));
    }

    private static void putFields(ByteBuffer out, Headers h) {
        for (int i = 0, n = h.size(); i < n; i++) {
            String name = h.name(i);
            if (writes(name)) continue; // framing is ours alone
            putField(out, name, h.value(i));
        }
    }

    /**
     * Whether tenk owns the response field {@code name} (any case): no configured field or rule
     * may set it.
     */
    public static boolean owns(String name) {
        return writes(name) || name.equalsIgnoreCase("Content-Range");
    }

    /**
     * The owned fields this encoder writes itself; a handler's field of these names is dropped.
     * Asked of every field of every response: the length and first letter rule out the usual
     * fields (ETag, Vary, Content-Type, Last-Modified) before any comparison of the whole name.
     */
    private static boolean writes(String name) {
        int n = name.length();
        if (n < 4) return false;
        return switch (name.charAt(0) | 0x20) {
            case 'd' -> n == 4 && name.equalsIgnoreCase("Date");
            case 's' -> n == 6 && name.equalsIgnoreCase("Server");
            case 'c' -> n == 10 ? name.equalsIgnoreCase("Connection") : n == 14 && name.equalsIgnoreCase("Content-Length");
            case 't' -> n == 17 && name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }

    private static void putField(ByteBuffer out, String name, String value) {
        for (int i = 0, n = name.length(); i < n; i++) {
            char c = name.charAt(i);
            if (!FieldSyntax.isTchar(c)) throw new IllegalArgumentException("bad header name");
            out.put((byte) c);
        }
        out.put((byte) ':').put((byte) ' ');
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (!FieldSyntax.isValueChar(c)) throw new IllegalArgumentException("control character in header value");
            out.put(c > 0xff ? (byte) '?' : (byte) c);
        }
        out.put((byte) '\r').put((byte) '\n');
    }

    private static void putAscii(ByteBuffer out, String s) {
        for (int i = 0, n = s.length(); i < n; i++) out.put((byte) s.charAt(i));
    }

    private static void putLong(ByteBuffer out, long v) {
        if (v == 0) { out.put((byte) '0'); return; }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) digits++;
        int end = out.position() + digits;
        if (end > out.limit()) throw new BufferOverflowException();
        for (int p = end - 1; p >= out.position(); p--) { out.put(p, (byte) ('0' + v % 10)); v /= 10; }
        out.position(end);
    }

    private static byte[] bytes(String s) { return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII); }
}
