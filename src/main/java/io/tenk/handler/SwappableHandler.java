package io.tenk.handler;

import io.tenk.http.Request;
import io.tenk.http.Response;

/**
 * A handler that can be replaced while requests are served: each request is answered by the
 * handler current when it started, so a reload swaps every site and rule at once and never
 * fails a request in flight. Reading it costs one volatile read.
 */
public final class SwappableHandler implements Handler {
    private volatile Handler current;

    public SwappableHandler(Handler initial) {
        if (initial == null) throw new IllegalArgumentException("no handler");
        this.current = initial;
    }

    public Handler current() { return current; }

    /** From now on, new requests go to {@code next}. */
    public void swap(Handler next) {
        if (next == null) throw new IllegalArgumentException("no handler");
        current = next;
    }

    @Override public Response handle(Request request) { return current.handle(request); }
}
