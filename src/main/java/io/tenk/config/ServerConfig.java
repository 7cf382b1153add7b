package io.tenk.config;

import io.tenk.handler.SiteOptions;
import io.tenk.http.Limits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a server run needs to know, as plain values. This file is the only home of the
 * defaults; the CLI and tests start from {@link #defaults(Path)} and change what they must.
 *
 * @param bindHost   address to listen on (127.0.0.1 unless the user chooses to serve the network)
 * @param port       port to listen on; 0 picks a free one
 * @param site       what the site serves and how (its root, index names, listing, headers, …)
 * @param model      name of the concurrency model
 * @param limits     parser size limits
 * @param timeouts   connection time limits
 * @param accessLog  whether to write one access-log line per request on stdout
 * @param debug      whether error lines carry stack traces
 */
public record ServerConfig(
        String bindHost,
        int port,
        SiteOptions site,
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

    /** Cache-Control max-age of non-HTML files: 0 means {@code no-cache}, i.e. always revalidate (cheap with ETags). */
    public static final long DEFAULT_MAX_AGE = 0;
    /** How long the open-file cache trusts a stat before looking again: a changed file is seen within this. */
    public static final Duration OPEN_FILE_CACHE_VALIDITY = Duration.ofSeconds(1);
    public static final int OPEN_FILE_CACHE_ENTRIES = 10_000;
    /** Total file content the open-file cache keeps in memory, and the largest file it keeps. */
    public static final long OPEN_FILE_CACHE_BYTES = 64L * 1024 * 1024;
    public static final int OPEN_FILE_CACHE_MAX_FILE = 64 * 1024;
    /** On-the-fly gzip: files from 1 KiB to 1 MiB, results kept up to 32 MiB in total. */
    public static final long GZIP_MIN_BYTES = 1024;
    public static final long GZIP_MAX_FILE = 1024 * 1024;
    public static final long GZIP_CACHE_BYTES = 32L * 1024 * 1024;

    public ServerConfig {
        if (site == null) throw new IllegalArgumentException("no site");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    public static ServerConfig defaults(Path root) {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, defaultSite(root), DEFAULT_MODEL, DEFAULT_LIMITS,
                DEFAULT_TIMEOUTS, true, false);
    }

    /**
     * A site's defaults: index.html, listings where there is no index, no SPA fallback, no CORS,
     * no extra fields, non-HTML files revalidated ({@link #DEFAULT_MAX_AGE}), compression, the
     * open-file cache and the site's own error pages on.
     */
    public static SiteOptions defaultSite(Path root) {
        return new SiteOptions(root, SiteOptions.DEFAULT_INDEX, true, false, null, List.of(), DEFAULT_MAX_AGE,
                true, true, true);
    }

    /** The document root of the site. */
    public Path root() { return site.root(); }

    public ServerConfig withSite(SiteOptions s) {
        return new ServerConfig(bindHost, port, s, model, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bindHost, p, site, model, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withBindHost(String h) {
        return new ServerConfig(h, port, site, model, limits, timeouts, accessLog, debug);
    }

    public ServerConfig withTimeouts(Timeouts t) {
        return new ServerConfig(bindHost, port, site, model, limits, t, accessLog, debug);
    }

    public ServerConfig withAccessLog(boolean on) {
        return new ServerConfig(bindHost, port, site, model, limits, timeouts, on, debug);
    }

    public ServerConfig withDebug(boolean on) {
        return new ServerConfig(bindHost, port, site, model, limits, timeouts, accessLog, on);
    }
}
