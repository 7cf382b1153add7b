package io.tenk.config;

import io.tenk.handler.SiteOptions;
import io.tenk.http.Limits;
import io.tenk.observe.AccessLog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Everything a server run needs to know, as plain values. This file is the only home of the
 * defaults; the CLI and tests start from {@link #defaults(Path)} and change what they must.
 *
 * @param bindHost   address to listen on (127.0.0.1 unless the user chooses to serve the network)
 * @param port       port to listen on; 0 picks a free one
 * @param root       the document root
 * @param model      name of the concurrency model
 * @param knobs      the models' own settings (threads, queue, selector, workers)
 * @param limits     parser size limits
 * @param timeouts   connection time limits
 * @param accessLog  whether to write one access-log line per request on stdout
 * @param debug      whether error lines carry stack traces
 * @param listen     every address to listen on, never empty; the first is {@code bindHost:port}.
 *                   Pass an empty list to mean "just {@code bindHost:port}".
 * @param sites      the virtual hosts, never empty; see {@link Site}. Pass an empty list to mean
 *                   "one default site serving {@code root}"; otherwise {@code root} is the
 *                   default site's root
 * @param maxConnections connections served at once; more get 503
 * @param logFormat  the access log's line format
 * @param liveReload development mode ({@code --watch}): HTML pages get a script that reloads
 *                   them when a file under a site's root changes, and the caches and compression
 *                   are off. Set only from the command line (no config key: a config file
 *                   describes a deployment), and refused with prefork
 */
public record ServerConfig(
        String bindHost,
        int port,
        Path root,
        String model,
        ModelOptions knobs,
        Limits limits,
        Timeouts timeouts,
        boolean accessLog,
        boolean debug,
        List<Listen> listen,
        List<Site> sites,
        int maxConnections,
        AccessLog.Format logFormat,
        boolean liveReload) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 7890;
    public static final String DEFAULT_MODEL = "reactor";
    public static final int DEFAULT_QUEUE = 256;
    /** What each worker of {@code prefork} runs. */
    public static final String PREFORK_WORKER_MODEL = "reactor";
    public static final String DEFAULT_SELECTOR = "epoll";
    public static final ModelOptions DEFAULT_MODEL_OPTIONS = new ModelOptions(0, DEFAULT_QUEUE, DEFAULT_SELECTOR, 0);
    /** The {@code iterative} model serves one connection at a time, so a kept-alive one may idle this long at most. */
    public static final Duration ITERATIVE_IDLE = Duration.ofSeconds(2);
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
    /** The largest file whose content the open-file cache keeps (all caches share one budget: files/MemoryBudget). */
    public static final int OPEN_FILE_CACHE_MAX_FILE = 64 * 1024;
    /** On-the-fly gzip: files from 1 KiB to 1 MiB (results kept in the caches' one budget). */
    public static final long GZIP_MIN_BYTES = 1024;
    public static final long GZIP_MAX_FILE = 1024 * 1024;
    /** The least number of descriptors kept back from {@code --max-connections} for files, logs and the JVM's own. */
    public static final int FD_RESERVE = 64;
    /** The smallest default for {@code --max-connections}, whatever the descriptor limit says. */
    public static final int MIN_DEFAULT_MAX_CONNECTIONS = 16;

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (knobs == null) knobs = DEFAULT_MODEL_OPTIONS;
        if (maxConnections < 1) throw new IllegalArgumentException("max connections must be at least 1: " + maxConnections);
        if (listen == null || listen.isEmpty()) {
            listen = List.of(new Listen(bindHost, port));
        } else {
            listen = List.copyOf(listen);
            bindHost = listen.getFirst().host();
            port = listen.getFirst().port();
        }
        if (sites == null || sites.isEmpty()) {
            sites = List.of(Site.serving(root));
        } else {
            sites = List.copyOf(sites);
            root = defaultSite(sites).root();
        }
    }

    /**
     * The default {@code --max-connections}, from the process's soft descriptor limit: one
     * descriptor per connection (its socket), with an eighth of the limit (at least
     * {@link #FD_RESERVE}) kept back for the files being sent and the JVM's own. Small files go
     * out from the open-file cache and larger ones hold their descriptor only while they are sent,
     * so a socket and a file per connection at once is the rare case; should descriptors still
     * run short, an open fails into a 500 for that request and accept backs off.
     */
    public static int defaultMaxConnections() {
        return defaultMaxConnections(FdLimit.soft());
    }

    public static int defaultMaxConnections(long fdLimit) {
        if (fdLimit <= 0) return 1024; // unknown (not a Unix JVM): a conventional default
        long n = fdLimit - Math.max(FD_RESERVE, fdLimit / 8);
        return (int) Math.max(MIN_DEFAULT_MAX_CONNECTIONS, Math.min(n, 1_000_000));
    }

    /** The site that answers unknown names: the one named {@code *}, else the first. */
    public static Site defaultSite(List<Site> sites) {
        return sites.stream().filter(Site::isCatchAll).findFirst().orElse(sites.getFirst());
    }

    public Site defaultSite() { return defaultSite(sites); }

    public int threads() { return knobs.threads(); }

    public int queue() { return knobs.queue(); }

    public String selector() { return knobs.selector(); }

    /** Worker threads of {@code pool}: as configured, else 4 per core. */
    public int poolThreads() { return knobs.threads() > 0 ? knobs.threads() : 4 * Runtime.getRuntime().availableProcessors(); }

    /** Event loops of {@code reactor}: as configured, else one per core. */
    public int reactorLoops() { return knobs.threads() > 0 ? knobs.threads() : Runtime.getRuntime().availableProcessors(); }

    /** Worker processes of {@code prefork}: as configured, else one per core. */
    public int preforkWorkers() { return knobs.workers() > 0 ? knobs.workers() : Runtime.getRuntime().availableProcessors(); }

    /**
     * A site's defaults: index.html, listings where there is no index, no SPA fallback, no CORS,
     * no extra fields, non-HTML files revalidated ({@link #DEFAULT_MAX_AGE}), compression, the
     * open-file cache and the site's own error pages on.
     */
    public static SiteOptions defaultSiteOptions(Path root) {
        return new SiteOptions(root, SiteOptions.DEFAULT_INDEX, true, false, null, List.of(), DEFAULT_MAX_AGE,
                true, true, true);
    }

    /** The options of the default site (the only site when no config file names several). */
    public SiteOptions site() { return defaultSite().options(); }

    /** Every site's options changed by {@code change} (command-line flags that override the file). */
    public ServerConfig withSiteOptions(UnaryOperator<SiteOptions> change) {
        return withSites(sites.stream().map(s -> s.withOptions(change.apply(s.options()))).toList());
    }

    /** The single site, serving {@code options}, answering every name. */
    public ServerConfig withSite(SiteOptions options) {
        return withSites(List.of(Site.serving(options)));
    }

    public static ServerConfig defaults(Path root) {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, root, DEFAULT_MODEL, DEFAULT_MODEL_OPTIONS, DEFAULT_LIMITS,
                DEFAULT_TIMEOUTS, true, false, List.of(), List.of(), defaultMaxConnections(), AccessLog.Format.COMBINED, false);
    }

    /** Every listen address on port {@code p}. */
    public ServerConfig withPort(int p) {
        List<Listen> l = listen.stream().map(a -> a.withPort(p)).toList();
        return new ServerConfig(bindHost, p, root, model, knobs, limits, timeouts, accessLog, debug, l, sites, maxConnections, logFormat, liveReload);
    }

    /** One listen address, {@code h} on the first address's port. */
    public ServerConfig withBindHost(String h) {
        return new ServerConfig(h, port, root, model, knobs, limits, timeouts, accessLog, debug, List.of(), sites, maxConnections, logFormat, liveReload);
    }

    public ServerConfig withListen(List<Listen> l) {
        return new ServerConfig(bindHost, port, root, model, knobs, limits, timeouts, accessLog, debug, l, sites, maxConnections, logFormat, liveReload);
    }

    public ServerConfig withSites(List<Site> s) {
        return new ServerConfig(bindHost, port, root, model, knobs, limits, timeouts, accessLog, debug, listen, s, maxConnections, logFormat, liveReload);
    }

    public ServerConfig withModel(String m) {
        return new ServerConfig(bindHost, port, root, m, knobs, limits, timeouts, accessLog, debug, listen, sites, maxConnections, logFormat, liveReload);
    }

    public ServerConfig withKnobs(ModelOptions k) {
        return new ServerConfig(bindHost, port, root, model, k, limits, timeouts, accessLog, debug, listen, sites, maxConnections, logFormat, liveReload);
    }

    public ServerConfig withThreads(int n) { return withKnobs(knobs.withThreads(n)); }

    public ServerConfig withQueue(int n) { return withKnobs(knobs.withQueue(n)); }

    public ServerConfig withSelectorKind(String s) { return withKnobs(knobs.withSelector(s)); }

    public ServerConfig withWorkers(int n) { return withKnobs(knobs.withWorkers(n)); }

    /** The settings of a {@code prefork} worker: the reactor, on {@code port}, sharing it with its siblings. */
    public ServerConfig asPreforkWorker(int port) {
        return withModel(PREFORK_WORKER_MODEL).withPort(port).withKnobs(knobs.withReusePort(true).withWorkerArgs(List.of()));
    }

    public ServerConfig withLimits(Limits l) {
        return new ServerConfig(bindHost, port, root, model, knobs, l, timeouts, accessLog, debug, listen, sites, maxConnections, logFormat, liveReload);
    }

    public ServerConfig withMaxConnections(int n) {
        return new ServerConfig(bindHost, port, root, model, knobs, limits, timeouts, accessLog, debug, listen, sites, n, logFormat, liveReload);
    }

    public ServerConfig withTimeouts(Timeouts t) {
        return new ServerConfig(bindHost, port, root, model, knobs, limits, t, accessLog, debug, listen, sites, maxConnections, logFormat, liveReload);
    }

    public ServerConfig withAccessLog(boolean on) {
        return new ServerConfig(bindHost, port, root, model, knobs, limits, timeouts, on, debug, listen, sites, maxConnections, logFormat, liveReload);
    }

    public ServerConfig withLogFormat(AccessLog.Format f) {
        return new ServerConfig(bindHost, port, root, model, knobs, limits, timeouts, accessLog, debug, listen, sites, maxConnections, f, liveReload);
    }

    /** Development mode ({@code --watch}); see the {@code liveReload} component. */
    public ServerConfig withLiveReload(boolean on) {
        return new ServerConfig(bindHost, port, root, model, knobs, limits, timeouts, accessLog, debug, listen, sites, maxConnections, logFormat, on);
    }

    public ServerConfig withDebug(boolean on) {
        return new ServerConfig(bindHost, port, root, model, knobs, limits, timeouts, accessLog, on, listen, sites, maxConnections, logFormat, liveReload);
    }
}
