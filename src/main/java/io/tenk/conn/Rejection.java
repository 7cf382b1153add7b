package io.tenk.conn;

import io.tenk.handler.ErrorPages;
import io.tenk.http.Body;
import io.tenk.http.ResponseHead;
import io.tenk.http.Status;
import io.tenk.http.Version;

import java.nio.ByteBuffer;

/**
 * The bytes a model sends to a connection it will not serve (an overloaded pool): a complete
 * 503 response that closes the connection, encoded once.
 */
public final class Rejection {
    private static final byte[] SERVICE_UNAVAILABLE = encode();

    private Rejection() {}

    /** A fresh read-only buffer holding a complete {@code 503 Service Unavailable} with {@code Connection: close}. */
    public static ByteBuffer serviceUnavailable() {
        return ByteBuffer.wrap(SERVICE_UNAVAILABLE).asReadOnlyBuffer();
    }

    private static byte[] encode() {
        var resp = ErrorPages.of(Status.SERVICE_UNAVAILABLE);
        ByteBuffer head = ByteBuffer.allocate(8 * 1024);
        ResponseHead.encode(resp, Version.HTTP_1_1, false, head);
        head.flip();
        byte[] body = switch (resp.body()) {
            case Body.Bytes b -> b.data();
            default -> new byte[0];
        };
        byte[] all = new byte[head.remaining() + body.length];
        head.get(all, 0, head.remaining());
        System.arraycopy(body, 0, all, all.length - body.length, body.length);
        return all;
    }
}
