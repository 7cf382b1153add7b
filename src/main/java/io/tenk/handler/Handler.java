package io.tenk.handler;

import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

/**
 * Turns a request into a response. Handlers do short work (a stat, an open, a lookup) and return;
 * they never block on the network, start threads or know which model runs them.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Answers the request, or returns {@code null} to decline it so that the next handler of a
     * {@link HandlerChain} may answer. Must not throw for any request a client can send; an
     * unexpected exception, or an {@link Error} such as a stack overflow, is mapped to 500 by the
     * caller (a {@link VirtualMachineError} such as running out of memory stops the server).
     */
    Response handle(Request request);

    /**
     * The response for a failure found outside the handler (an unexpected exception → 500):
     * the standard page, unless a handler in the chain has the site's own.
     */
    default Response errorPage(Status status) { return ErrorPages.of(status); }
}
