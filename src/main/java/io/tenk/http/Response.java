package io.tenk.http;

/**
 * What a handler returns: a status, the handler's header fields and a body.
 *
 * <p>The protocol layer adds the fields every response carries ({@code Date}, {@code Server},
 * {@code Content-Length}, {@code Connection}) when it encodes the head, and sends no content for
 * HEAD requests and for statuses that allow none: handlers never special-case HEAD.
 */
public record Response(Status status, Headers headers, Body body) {

    public Response {
        if (!status.allowsContent() && body.length() != 0) {
            throw new IllegalArgumentException(status + " cannot carry content");
        }
    }

    public static Response of(Status status, Headers headers) { return new Response(status, headers, Body.EMPTY); }
}
