package io.tenk.handler;

import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

import java.util.List;

/** Asks each handler in turn; the first response wins. When every handler declines: 404. */
public final class HandlerChain implements Handler {
    private final Handler[] handlers;

    public HandlerChain(List<Handler> handlers) {
        this.handlers = handlers.toArray(Handler[]::new);
    }

    @Override public Response handle(Request request) {
        for (Handler h : handlers) {
            Response r = h.handle(request);
            if (r != null) return r;
        }
        return ErrorPages.of(Status.NOT_FOUND);
    }
}
