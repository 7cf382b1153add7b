package io.tenk.config;

import io.tenk.http.Limits;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a server run needs to know, as plain values. This file is the only home of the
 * defaults; the CLI and tests start from {@link #defaults(Path)} and change what they must.
 *
 * @param bindHost   address to listen on (127.0.0.1 unless the user chooses to serve the network)
 * @param port       port to listen on; 0 picks a free one
 * @param root       the document root
 * @param model      name of the concurrency model
 * @param threads    threads for {@code pool} (workers) or {@code reactor} (event loops); 0 means the model's default
 * @param queue      accepted connections {@code pool} may hold waiting for a thread; beyond it they get 503
 * @param selector   which event mechanism {@code selector} and {@code reactor} use: "epoll" or "poll"
 * @param limits     parser size limits
 * @param timeouts   connection time limits
 * @param accessLog  whether to write one access-log line per request on stdout
 * @param debug      whether error lines carry stack traces
 */
public record ServerConfig(
        String bindHost,
        int port,
        Path root,
        String model,
        int threads,
        int queue,
        String selector,
        Limits limits,
        Timeouts timeouts,
        boolean accessLog,
        boolean debug) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 7890;
    public static final String DEFAULT_MODEL = "reactor";
    public static final int DEFAULT_QUEUE = 256;
    public static final String DEFAULT_SELECTOR = "epoll";
    /** The {@code iterative} model serves one connection at a time, so a kept-alive one may idle this long at most. */
    public static final Duration ITERATIVE_IDLE = Duration.ofSeconds(2);
    public static final Limits DEFAULT_LIMITS = new Limits(8 * 1024, 16 * 1024, 100);
    public static final Timeouts DEFAULT_TIMEOUTS = new Timeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofSeconds(10));
    /** A request body longer than this is not drained to keep the connection: the connection closes instead. */
    public static final long MAX_DISCARDED_BODY = 64 * 1024;

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (threads < 0 || threads > 10_000) throw new IllegalArgumentException("threads out of range (1-10000): " + threads);
        if (queue < 0 || queue > 1_000_000) throw new IllegalArgumentException("queue out of range (0-1000000): " + queue);
        if (!selector.equals("epoll") && !selector.equals("poll")) {
            throw new IllegalArgumentException("unknown selector: " + selector + " (epoll or poll)");
        }
    }

    /** Worker threads of {@code pool}: as configured, else 4 per core. */
    public int poolThreads() { return threads > 0 ? threads : 4 * Runtime.getRuntime().availableProcessors(); }

    /** Event loops of {@code reactor}: as configured, else one per core. */
    public int reactorLoops() { return threads > 0 ? threads : Runtime.getRuntime().availableProcessors(); }

    public static ServerConfig defaults(Path root) {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, root, DEFAULT_MODEL, 0, DEFAULT_QUEUE, DEFAULT_SELECTOR, DEFAULT_LIMITS,
                DEFAULT_TIMEOUTS, true, false);
    }

    public ServerConfig withModel(String m) {
        return new ServerConfig(bindHost, port, root, m, threads, queue, selector, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withThreads(int n) {
        return new ServerConfig(bindHost, port, root, model, n, queue, selector, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withQueue(int n) {
        return new ServerConfig(bindHost, port, root, model, threads, n, selector, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withSelectorKind(String s) {
        return new ServerConfig(bindHost, port, root, model, threads, queue, s, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bindHost, p, root, model, threads, queue, selector, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withBindHost(String h) {
        return new ServerConfig(h, port, root, model, threads, queue, selector, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withTimeouts(Timeouts t) {
        return new ServerConfig(bindHost, port, root, model, threads, queue, selector, limits, t, accessLog, debug);
    }

    public ServerConfig withAccessLog(boolean on) {
        return new ServerConfig(bindHost, port, root, model, threads, queue, selector, limits, timeouts, on, debug);
    }

    public ServerConfig withDebug(boolean on) {
        return new ServerConfig(bindHost, port, root, model, threads, queue, selector, limits, timeouts, accessLog, on);
    }
}
