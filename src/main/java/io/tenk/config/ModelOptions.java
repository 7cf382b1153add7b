package io.tenk.config;

import java.util.List;

/**
 * The knobs of the concurrency models, each read only by the models it concerns. Changed through
 * {@link ServerConfig.Builder}.
 *
 * @param threads    worker threads of {@code pool}, event loops of {@code reactor}; 0 means the model's default
 * @param queue      accepted connections {@code pool} may hold waiting for a thread; beyond it they get 503
 * @param selector   the event mechanism of {@code selector} and {@code reactor}
 * @param workers    worker processes of {@code prefork}; 0 means one per core
 * @param reusePort  listen with SO_REUSEPORT, sharing the port: set in the workers of {@code prefork},
 *                   and with {@code listenPerLoop}
 * @param workerArgs the command-line arguments a {@code prefork} master gives its workers (its own);
 *                   empty when the server was not started from a command line
 * @param tcpNopush  {@code selector} and {@code reactor} send a response head and its file body
 *                   corked (TCP_CORK, Linux), as nginx's {@code tcp_nopush}
 * @param listenPerLoop {@code reactor} opens a listening socket per loop on the one port
 *                   (SO_REUSEPORT), each loop accepting for itself ({@code --reuseport})
 */
public record ModelOptions(int threads, int queue, SelectorKind selector, int workers, boolean reusePort, List<String> workerArgs,
                           boolean tcpNopush, boolean listenPerLoop) {
    public static final int MAX_THREADS = 10_000;
    public static final int MAX_QUEUE = 1_000_000;
    public static final int MAX_WORKERS = 256;

    public ModelOptions {
        if (threads < 0 || threads > MAX_THREADS) throw new IllegalArgumentException("threads out of range (1-" + MAX_THREADS + "): " + threads);
        if (queue < 0 || queue > MAX_QUEUE) throw new IllegalArgumentException("queue out of range (0-" + MAX_QUEUE + "): " + queue);
        if (selector == null) throw new IllegalArgumentException("unknown selector: null (" + SelectorKind.choices() + ")");
        if (workers < 0 || workers > MAX_WORKERS) throw new IllegalArgumentException("workers out of range (1-" + MAX_WORKERS + "): " + workers);
        workerArgs = workerArgs == null ? List.of() : List.copyOf(workerArgs);
    }
}
