package io.tenk.handler;

import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

/**
 * Failures on demand, for tests of what a failing handler does to the server (see
 * {@link io.tenk.conn.Fatal} for the policy). Off unless the JVM is started with
 * {@code -Dtenk.faults=on}; then a request for
 * <ul>
 *   <li>{@code /.tenk-fault/stack-overflow} recurses until {@link StackOverflowError},</li>
 *   <li>{@code /.tenk-fault/error} throws an {@link Error} of its own,</li>
 *   <li>{@code /.tenk-fault/vm-error} throws an {@link InternalError}, a {@link VirtualMachineError}
 *       that no thread may contain,</li>
 * </ul>
 * and every other request goes to the wrapped handler. Only a JVM option turns it on, and
 * whoever sets JVM options controls the process anyway.
 */
public final class FaultInjection implements Handler {
    static final String PROPERTY = "tenk.faults";
    private static final String PREFIX = "/.tenk-fault/";

    /** The error a handler throws on {@code /.tenk-fault/error}. */
    static final class InjectedError extends Error {
        InjectedError() { super("injected fault"); }
    }

    private final Handler next;

    private FaultInjection(Handler next) { this.next = next; }

    /** {@code chain} itself, or wrapped when {@code -Dtenk.faults=on}. */
    public static Handler wrapIfEnabled(Handler chain) {
        return "on".equals(System.getProperty(PROPERTY)) ? new FaultInjection(chain) : chain;
    }

    @Override public Response handle(Request request) {
        if (request.path().startsWith(PREFIX)) {
            switch (request.path().substring(PREFIX.length())) {
                case "stack-overflow" -> deeper(0);
                case "error" -> throw new InjectedError();
                case "vm-error" -> throw new InternalError("injected fault");
                default -> { }
            }
        }
        return next.handle(request);
    }

    @Override public Response errorPage(Status status) { return next.errorPage(status); }

    private static int deeper(int depth) {
        return deeper(depth + 1) + 1;
    }
}
