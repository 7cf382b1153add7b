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
 */
public record ServerConfig(
        String bindHost,
        int port,
        Path root,
        String model,
        Limits limits,
        Timeouts timeouts,
        boolean accessLog,
        boolean debug) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 7890;
    public static final String DEFAULT_MODEL = "selector";
    public static final Limits DEFAULT_LIMITS = new Limits(8 * 1024, 16 * 1024, 100);
    public static final Timeouts DEFAULT_TIMEOUTS = new Timeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofSeconds(10));
    /** A request body longer than this is not drained to keep the connection: the connection closes instead. */
    public static final long MAX_DISCARDED_BODY = 64 * 1024;

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    public static ServerConfig defaults(Path root) {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, root, DEFAULT_MODEL, DEFAULT_LIMITS,
                DEFAULT_TIMEOUTS, true, false);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bindHost, p, root, model, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withBindHost(String h) {
        return new ServerConfig(h, port, root, model, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withTimeouts(Timeouts t) {
        return new ServerConfig(bindHost, port, root, model, limits, t, accessLog, debug);
    }

    public ServerConfig withAccessLog(boolean on) {
        return new ServerConfig(bindHost, port, root, model, limits, timeouts, on, debug);
    }

    public ServerConfig withDebug(boolean on) {
        return new ServerConfig(bindHost, port, root, model, limits, timeouts, accessLog, on);
    }
}
