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
 * @param limits     parser size limits
 * @param timeouts   connection time limits
 * @param accessLog  whether to write one access-log line per request on stdout
 * @param debug      whether error lines carry stack traces
 * @param maxConnections open connections served at once; past it a new connection gets a 503 and is closed
 */
public record ServerConfig(
        String bindHost,
        int port,
        Path root,
        String model,
        Limits limits,
        Timeouts timeouts,
        boolean accessLog,
        boolean debug,
        int maxConnections) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 7890;
    public static final String DEFAULT_MODEL = "selector";
    public static final Limits DEFAULT_LIMITS = new Limits(8 * 1024, 16 * 1024, 100);
    public static final Timeouts DEFAULT_TIMEOUTS = new Timeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofSeconds(10));
    /** A request body longer than this is not drained to keep the connection: the connection closes instead. */
    public static final long MAX_DISCARDED_BODY = 64 * 1024;

    /** Descriptors kept back from {@code --max-connections} for the listening socket, logs, the JVM's own files. */
    public static final int FD_RESERVE = 64;
    /** The smallest default for {@code --max-connections}, whatever the descriptor limit says. */
    public static final int MIN_DEFAULT_MAX_CONNECTIONS = 16;

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (maxConnections < 1) throw new IllegalArgumentException("max connections must be at least 1: " + maxConnections);
    }

    /**
     * The default {@code --max-connections}, from the process's soft descriptor limit: each
     * connection may hold two descriptors (its socket and the file it is sending), after a reserve.
     */
    public static int defaultMaxConnections() {
        return defaultMaxConnections(FdLimit.soft());
    }

    public static int defaultMaxConnections(long fdLimit) {
        if (fdLimit <= 0) return 1024; // unknown (not a Unix JVM): a conventional default
        long n = (fdLimit - FD_RESERVE) / 2;
        return (int) Math.max(MIN_DEFAULT_MAX_CONNECTIONS, Math.min(n, 1_000_000));
    }

    public static ServerConfig defaults(Path root) {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, root, DEFAULT_MODEL, DEFAULT_LIMITS,
                DEFAULT_TIMEOUTS, true, false, defaultMaxConnections());
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bindHost, p, root, model, limits, timeouts, accessLog, debug, maxConnections);
    }

    public ServerConfig withBindHost(String h) {
        return new ServerConfig(h, port, root, model, limits, timeouts, accessLog, debug, maxConnections);
    }

    public ServerConfig withModel(String m) {
        return new ServerConfig(bindHost, port, root, m, limits, timeouts, accessLog, debug, maxConnections);
    }

    public ServerConfig withMaxConnections(int n) {
        return new ServerConfig(bindHost, port, root, model, limits, timeouts, accessLog, debug, n);
    }

    public ServerConfig withTimeouts(Timeouts t) {
        return new ServerConfig(bindHost, port, root, model, limits, t, accessLog, debug, maxConnections);
    }

    public ServerConfig withAccessLog(boolean on) {
        return new ServerConfig(bindHost, port, root, model, limits, timeouts, on, debug, maxConnections);
    }

    public ServerConfig withDebug(boolean on) {
        return new ServerConfig(bindHost, port, root, model, limits, timeouts, accessLog, on, maxConnections);
    }
}
