package io.tenk.config;

import java.util.List;

/**
 * The knobs of the concurrency models, each read only by the models it concerns.
 *
 * @param threads    worker threads of {@code pool}, event loops of {@code reactor}; 0 means the model's default
 * @param queue      accepted connections {@code pool} may hold waiting for a thread; beyond it they get 503
 * @param selector   the event mechanism of {@code selector} and {@code reactor}, one of {@link #SELECTORS}
 * @param workers    worker processes of {@code prefork}; 0 means one per core
 * @param reusePort  listen with SO_REUSEPORT (set in the workers of {@code prefork}, which share a port)
 * @param workerArgs the command-line arguments a {@code prefork} master gives its workers (its own);
 *                   empty when the server was not started from a command line
 */
public record ModelOptions(int threads, int queue, String selector, int workers, boolean reusePort, List<String> workerArgs) {
    /**
     * The event mechanisms: java.nio's Selectors ("epoll", "poll"), and the kernel's called
     * directly ("select", "native-poll", "epoll-lt", "epoll-et", "epoll-oneshot").
     */
    public static final List<String> SELECTORS = List.of("epoll", "poll", "select", "native-poll", "epoll-lt", "epoll-et", "epoll-oneshot");

    public ModelOptions {
        if (threads < 0 || threads > 10_000) throw new IllegalArgumentException("threads out of range (1-10000): " + threads);
        if (queue < 0 || queue > 1_000_000) throw new IllegalArgumentException("queue out of range (0-1000000): " + queue);
        if (!SELECTORS.contains(selector)) {
            throw new IllegalArgumentException("unknown selector: " + selector + " (" + String.join(", ", SELECTORS) + ")");
        }
        if (workers < 0 || workers > 256) throw new IllegalArgumentException("workers out of range (1-256): " + workers);
        workerArgs = workerArgs == null ? List.of() : List.copyOf(workerArgs);
    }

    public ModelOptions(int threads, int queue, String selector, int workers) {
        this(threads, queue, selector, workers, false, List.of());
    }

    public ModelOptions withThreads(int n) { return new ModelOptions(n, queue, selector, workers, reusePort, workerArgs); }

    public ModelOptions withQueue(int n) { return new ModelOptions(threads, n, selector, workers, reusePort, workerArgs); }

    public ModelOptions withSelector(String s) { return new ModelOptions(threads, queue, s, workers, reusePort, workerArgs); }

    public ModelOptions withWorkers(int n) { return new ModelOptions(threads, queue, selector, n, reusePort, workerArgs); }

    public ModelOptions withReusePort(boolean on) { return new ModelOptions(threads, queue, selector, workers, on, workerArgs); }

    public ModelOptions withWorkerArgs(List<String> args) { return new ModelOptions(threads, queue, selector, workers, reusePort, args); }
}
