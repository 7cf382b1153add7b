package io.tenk.conn;

/**
 * Where a thread of the server that cannot go on reports before it ends: an event loop, an
 * acceptor, a watchdog, a supervisor. The server logs one error line, stops (listening sockets
 * close at once, so no client waits on a port nobody serves) and the command line exits with a
 * non-zero status, for the prefork master or the service manager to start a fresh process.
 *
 * <p>The policy, decided here once:
 * <ul>
 *   <li>An {@link Error} thrown by a request's handler is contained wherever it runs: that
 *       request gets a 500 and the server goes on, because the handler holds no state of the
 *       loop or thread it runs on (a {@link StackOverflowError} has unwound by then). Only a
 *       {@link VirtualMachineError} other than a stack overflow (out of memory, an internal
 *       error of the JVM) is {@linkplain #rethrowIfFatal passed on}.</li>
 *   <li>On a thread that serves one connection (the blocking models), an {@code Error} from the
 *       session ends that connection only; a fatal one ({@link #isFatal}) is reported here.</li>
 *   <li>On a thread that serves many (an event loop) or that every connection depends on (an
 *       acceptor, a watchdog, the refuser, the prefork supervisor), any throwable that escapes
 *       is reported here: that thread's state cannot be trusted and nobody else would do its work.</li>
 * </ul>
 */
@FunctionalInterface
public interface Fatal {

    /**
     * Reports that {@code what} (a thread's role, e.g. "event loop tenk-loop-0") ended with
     * {@code cause}. Called at most a few times per process; only the first is logged. Must not
     * block: it starts the stop and returns.
     */
    void failed(String what, Throwable cause);

    /** Whether {@code t} means the JVM itself cannot be trusted: no thread may contain it. */
    static boolean isFatal(Throwable t) {
        return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
    }

    /** Rethrows {@code t} when it {@linkplain #isFatal is fatal}; returns otherwise (the caller contains it). */
    static void rethrowIfFatal(Throwable t) {
        if (isFatal(t)) throw (VirtualMachineError) t;
    }
}
