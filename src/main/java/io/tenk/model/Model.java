package io.tenk.model;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A concurrency model: how connections are accepted, read and written. Every model drives the
 * same {@link io.tenk.conn.Session}; a model holds only what differs (threads, selectors,
 * processes). Lifecycle: {@link #start()} once, then {@link #stop()} from any thread, then
 * {@link #awaitStopped()}.
 */
public interface Model {

    /** The model's name as given to {@code --model}. */
    String name();

    /**
     * Binds the listening socket and starts serving; returns once connections are being accepted.
     *
     * @throws IOException when the address cannot be bound (in use, not local, no permission)
     */
    void start() throws IOException;

    /** The bound address (with the real port when 0 was asked for). Valid after {@link #start()}. */
    InetSocketAddress address();

    /**
     * Stops accepting, lets in-flight responses finish within the shutdown timeout, then closes
     * every connection. Returns at once; safe to call more than once and from any thread.
     */
    void stop();

    /**
     * The configuration was reloaded (SIGHUP). Models in this process need nothing: the handler
     * they share was swapped. A model whose workers are other processes replaces them.
     */
    default void reload() {}

    /**
     * Brings access lines logged elsewhere (by a worker process) into this process's access log,
     * returning once every line logged before the call has arrived. Models in this process log
     * here directly and need nothing.
     */
    default void flushAccessLog() {}

    /**
     * What this model's worker processes counted ({@code prefork}: asked of each worker when the
     * master's metrics are scraped); null for a model that serves in this process.
     */
    default io.tenk.observe.WorkerMetrics workerMetrics() { return null; }

    /** Blocks until the model has stopped and released its sockets and threads. */
    void awaitStopped() throws InterruptedException;
}
