package io.tenk.config;

/**
 * The knobs of the concurrency models, each read only by the models it concerns.
 *
 * @param threads   worker threads of {@code pool}, event loops of {@code reactor}; 0 means the model's default
 * @param queue     accepted connections {@code pool} may hold waiting for a thread; beyond it they get 503
 * @param selector  the event mechanism of {@code selector} and {@code reactor}: "epoll" or "poll"
 * @param workers   worker processes of {@code prefork}; 0 means one per core
 */
public record ModelOptions(int threads, int queue, String selector, int workers) {
    public ModelOptions {
        if (threads < 0 || threads > 10_000) throw new IllegalArgumentException("threads out of range (1-10000): " + threads);
        if (queue < 0 || queue > 1_000_000) throw new IllegalArgumentException("queue out of range (0-1000000): " + queue);
        if (!"epoll".equals(selector) && !"poll".equals(selector)) {
            throw new IllegalArgumentException("unknown selector: " + selector + " (epoll or poll)");
        }
        if (workers < 0 || workers > 256) throw new IllegalArgumentException("workers out of range (1-256): " + workers);
    }

    public ModelOptions withThreads(int n) { return new ModelOptions(n, queue, selector, workers); }

    public ModelOptions withQueue(int n) { return new ModelOptions(threads, n, selector, workers); }

    public ModelOptions withSelector(String s) { return new ModelOptions(threads, queue, s, workers); }

    public ModelOptions withWorkers(int n) { return new ModelOptions(threads, queue, selector, n); }
}
