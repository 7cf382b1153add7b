package io.tenk.handler;

import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

/**
 * Answers what a static site does not serve, before any file is looked up: OPTIONS → 204 with
 * {@code Allow}; known methods other than GET and HEAD → 405 with {@code Allow}; unknown method
 * tokens → 501. GET and HEAD are declined so the next handler serves them.
 */
public final class MethodGate implements Handler {
    static final String ALLOW = "GET, HEAD, OPTIONS";

    @Override public Response handle(Request request) {
        return switch (request.method()) {
            case GET, HEAD -> null;
            case OPTIONS -> new Response(Status.NO_CONTENT, new Headers(2).add("Allow", ALLOW), Body.EMPTY);
            case OTHER -> ErrorPages.of(Status.NOT_IMPLEMENTED);
            default -> ErrorPages.of(Status.METHOD_NOT_ALLOWED, new Headers(2).add("Allow", ALLOW));
        };
    }
}
