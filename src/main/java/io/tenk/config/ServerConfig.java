package io.tenk.config;

import io.tenk.handler.SiteOptions;
import io.tenk.http.Limits;
import io.tenk.observe.AccessLog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Everything a server run needs to know, as plain values, checked when built: a value that exists
 * is valid. This file is the only home of the defaults; the CLI and tests start from
 * {@link #defaults(Path)} or {@link #builder(Path)} and change what they must through one
 * {@link Builder} ({@link #with}), so a new component is added here and in the builder only.
 *
 * @param listen     every address to listen on, never empty, none twice
 * @param sites      the virtual hosts, never empty; see {@link Site}. Serving one folder is one
 *                   site named {@code *} ({@link Site#serving(Path)})
 * @param model      the concurrency model
 * @param knobs      the models' own settings (threads, queue, selector, workers)
 * @param limits     parser size limits
 * @param timeouts   connection time limits
 * @param accessLog  whether to write one access-log line per request on stdout
 * @param debug      whether error lines carry stack traces
 * @param maxConnections connections served at once; more get 503
 * @param logFormat  the access log's line format
 * @param liveReload development mode ({@code --watch}): HTML pages get a script that reloads
 *                   them when a file under a site's root changes, and the caches and compression
 *                   are off. Set only from the command line (no config key: a config file
 *                   describes a deployment), and refused with prefork
 * @param observe    the admin listener and the log files ({@link ObserveOptions#NONE}: neither)
 */
public record ServerConfig(
        List<Listen> listen,
        List<Site> sites,
        ModelKind model,
        ModelOptions knobs,
        Limits limits,
        Timeouts timeouts,
        boolean accessLog,
        boolean debug,
        int maxConnections,
        AccessLog.Format logFormat,
        boolean liveReload,
        ObserveOptions observe) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 7890;
    /** The default model's name (a constant, for help texts); {@link #DEFAULT_MODEL} is the model. */
    public static final String DEFAULT_MODEL_NAME = "reactor";
    public static final ModelKind DEFAULT_MODEL = ModelKind.parse(DEFAULT_MODEL_NAME);
    public static final int DEFAULT_QUEUE = 256;
    /** What each worker of {@code prefork} runs. */
    public static final ModelKind PREFORK_WORKER_MODEL = ModelKind.REACTOR;
    /**
     * The default selector's name (for help texts; {@link #DEFAULT_SELECTOR} is the kind): epoll
     * called directly ({@code epoll-lt}, whose loops accept connections as bare descriptors) where
     * this JVM lets tenk call the kernel and reach socket descriptors (Linux, with the options the
     * launcher and the jar give: {@link #nativeReachable}); else the JDK's epoll Selector, which
     * needs nothing (tenk embedded in another program with no JVM options).
     */
    public static final String DEFAULT_SELECTOR_NAME = nativeReachable() ? "epoll-lt" : "epoll";
    public static final SelectorKind DEFAULT_SELECTOR = SelectorKind.parse(DEFAULT_SELECTOR_NAME);
    /**
     * Whether file responses go out corked unless configured otherwise: where the system has
     * TCP_CORK (Linux), as nginx's usual {@code tcp_nopush on} (docs/BENCHMARKS.md: what it changes).
     */
    public static final boolean DEFAULT_TCP_NOPUSH = System.getProperty("os.name", "").startsWith("Linux");
    public static final ModelOptions DEFAULT_MODEL_OPTIONS = new ModelOptions(0, DEFAULT_QUEUE, DEFAULT_SELECTOR, 0, false, List.of(),
            DEFAULT_TCP_NOPUSH, false);
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

    /** @throws IllegalArgumentException with a user-facing message for any invalid value */
    public ServerConfig {
        if (listen == null || listen.isEmpty()) throw new IllegalArgumentException("needs at least one listen address");
        listen = List.copyOf(listen);
        Set<Listen> seen = new HashSet<>();
        for (Listen l : listen) if (!seen.add(l)) throw new IllegalArgumentException("address " + l + " listed twice");
        if (sites == null || sites.isEmpty()) throw new IllegalArgumentException("needs at least one site");
        sites = List.copyOf(sites);
        if (model == null) throw new IllegalArgumentException("no model given");
        if (knobs == null) knobs = DEFAULT_MODEL_OPTIONS;
        if (observe == null) observe = ObserveOptions.NONE;
        if (limits == null) limits = DEFAULT_LIMITS;
        if (timeouts == null) timeouts = DEFAULT_TIMEOUTS;
        if (maxConnections < 1) throw new IllegalArgumentException("--max-connections must be at least 1");
        if (logFormat == null) logFormat = AccessLog.Format.COMBINED;
        if (knobs.listenPerLoop() && model != ModelKind.REACTOR && model != ModelKind.PREFORK) {
            throw new IllegalArgumentException("--reuseport gives each of the reactor's loops a listening socket of its own;"
                    + " --model " + model.id() + " has one listening socket");
        }
        if (liveReload && !model.answersInProcess()) {
            throw new IllegalArgumentException("--watch is for development and cannot run with --model " + model.id());
        }
        if (!model.answersInProcess() && sites.stream().anyMatch(s -> s.tls() != null && s.tls().acme() != null)) {
            // each worker process would ask the CA for its own certificate
            throw new IllegalArgumentException("certificates by ACME need a model that serves in one process, not --model " + model.id());
        }
    }

    /**
     * The default {@code --max-connections}, from the process's soft descriptor limit: one
     * descriptor per connection (its socket), with an eighth of the limit (at least
     * {@link #FD_RESERVE}) kept back for the files being sent and the JVM's own. Small files go
     * out from the open-file cache; larger ones are sent from descriptors kept open for a second
     * ({@link #keptFiles()} at most, a sixteenth of the limit or less) or opened for the response,
     * so a socket and a file per connection at once is the rare case; should descriptors still
     * run short, an open fails into a 500 for that request and accept backs off.
     */
    public static int defaultMaxConnections() {
        return defaultMaxConnections(FdLimit.soft());
    }

    /**
     * How many descriptors of files being sent may stay open between responses
     * ({@code conn/SharedFiles}): 512, or a sixteenth of the soft descriptor limit where that is
     * less (half of what {@link #defaultMaxConnections()} keeps back), at least 8.
     */
    public static int keptFiles() {
        return keptFiles(FdLimit.soft());
    }

    static int keptFiles(long fdLimit) {
        return fdLimit <= 0 ? 512 : (int) Math.max(8, Math.min(512, fdLimit / 16));
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

    /** The default site's root (the only root when one folder is served). */
    public Path root() { return defaultSite().root(); }

    public int threads() { return knobs.threads(); }

    public int queue() { return knobs.queue(); }

    public SelectorKind selector() { return knobs.selector(); }

    /**
     * Whether the native event sources and bare sockets can run here: Linux, native access enabled
     * for tenk, and {@code sun.nio.ch} opened to it (socket and file descriptors). Asked of the
     * module system only: nothing native is linked to answer.
     */
    static boolean nativeReachable() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) return false;
        Module tenk = ServerConfig.class.getModule();
        return tenk.isNativeAccessEnabled()
                && Object.class.getModule().isOpen("sun.nio.ch", tenk);
    }

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

    /** The defaults serving {@code root} as one site, on {@link #DEFAULT_BIND}:{@link #DEFAULT_PORT}. */
    public static ServerConfig defaults(Path root) { return builder(root).build(); }

    /** A builder holding the defaults, serving {@code root} as one site. */
    public static Builder builder(Path root) {
        return new ServerConfig(List.of(new Listen(DEFAULT_BIND, DEFAULT_PORT)), List.of(Site.serving(root)), DEFAULT_MODEL,
                DEFAULT_MODEL_OPTIONS, DEFAULT_LIMITS, DEFAULT_TIMEOUTS, true, false, defaultMaxConnections(),
                AccessLog.Format.COMBINED, false, ObserveOptions.NONE).toBuilder();
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() { return new Builder(this); }

    /**
     * This configuration with {@code change} applied, checked as a whole:
     * {@code config.with(b -> b.port(0).accessLog(false))}.
     *
     * @throws IllegalArgumentException with a user-facing message when the result is invalid
     */
    public ServerConfig with(Consumer<Builder> change) {
        Builder b = toBuilder();
        change.accept(b);
        return b.build();
    }

    /**
     * Changes to a configuration, checked together by {@link #build()}. Every setter keeps what it
     * does not name: {@link #port(int)} moves every listen address, {@link #siteOptions} changes
     * every site. Only {@link #listen(List)}, {@link #sites(List)} and {@link #site(SiteOptions)}
     * replace a list, and say so.
     */
    public static final class Builder {
        private List<Listen> listen;
        private List<Site> sites;
        private ModelKind model;
        private int threads;
        private int queue;
        private SelectorKind selector;
        private int workers;
        private boolean reusePort;
        private List<String> workerArgs;
        private boolean tcpNopush;
        private boolean listenPerLoop;
        private Limits limits;
        private Timeouts timeouts;
        private boolean accessLog;
        private boolean debug;
        private int maxConnections;
        private AccessLog.Format logFormat;
        private boolean liveReload;
        private ObserveOptions observe;

        private Builder(ServerConfig c) {
            listen = c.listen;
            sites = c.sites;
            model = c.model;
            threads = c.knobs.threads();
            queue = c.knobs.queue();
            selector = c.knobs.selector();
            workers = c.knobs.workers();
            reusePort = c.knobs.reusePort() && !c.knobs.listenPerLoop(); // build() adds it back for listenPerLoop
            workerArgs = c.knobs.workerArgs();
            tcpNopush = c.knobs.tcpNopush();
            listenPerLoop = c.knobs.listenPerLoop();
            limits = c.limits;
            timeouts = c.timeouts;
            accessLog = c.accessLog;
            debug = c.debug;
            maxConnections = c.maxConnections;
            logFormat = c.logFormat;
            observe = c.observe;
            liveReload = c.liveReload;
        }

        /** Replaces the listen addresses. */
        public Builder listen(List<Listen> addresses) { listen = addresses; return this; }

        /** Every listen address on port {@code p}. */
        public Builder port(int p) {
            listen = listen.stream().map(a -> a.withPort(p)).toList();
            return this;
        }

        /** Replaces the sites. */
        public Builder sites(List<Site> s) { sites = s; return this; }

        /** Replaces the sites by one, serving {@code options}, answering every name. */
        public Builder site(SiteOptions options) { return sites(List.of(Site.serving(options))); }

        /** Every site's options changed by {@code change} (command-line flags that override the file). */
        public Builder siteOptions(UnaryOperator<SiteOptions> change) {
            sites = sites.stream().map(s -> s.withOptions(change.apply(s.options()))).toList();
            return this;
        }

        public Builder model(ModelKind m) { model = m; return this; }

        /** Worker threads of {@code pool}, event loops of {@code reactor}; 0 for the model's default. */
        public Builder threads(int n) { threads = n; return this; }

        public Builder queue(int n) { queue = n; return this; }

        public Builder selector(SelectorKind s) { selector = s; return this; }

        public Builder workers(int n) { workers = n; return this; }

        /** Response heads and file bodies corked together (TCP_CORK) by {@code selector} and {@code reactor}. */
        public Builder tcpNopush(boolean on) { tcpNopush = on; return this; }

        /** {@code reactor}: a listening socket per loop, sharing the port (SO_REUSEPORT). */
        public Builder listenPerLoop(boolean on) { listenPerLoop = on; return this; }

        /** The command line a {@code prefork} master gives its workers. */
        public Builder workerArgs(List<String> args) { workerArgs = args; return this; }

        /**
         * The settings of a {@code prefork} worker: the reactor, on {@code port}, sharing it with
         * its siblings; one event loop unless {@code --threads} says otherwise (the workers are one
         * per core already, as nginx's, each a single loop).
         */
        public Builder preforkWorker(int port) {
            model = PREFORK_WORKER_MODEL;
            reusePort = true;
            if (threads <= 0) threads = 1;
            workerArgs = List.of();
            // the master keeps the admin listener and the log files: workers log to it through their pipes
            observe = ObserveOptions.forWorkerOf(observe);
            return port(port);
        }

        public Builder limits(Limits l) { limits = l; return this; }

        public Builder timeouts(Timeouts t) { timeouts = t; return this; }

        public Builder accessLog(boolean on) { accessLog = on; return this; }

        public Builder debug(boolean on) { debug = on; return this; }

        public Builder maxConnections(int n) { maxConnections = n; return this; }

        public Builder logFormat(AccessLog.Format f) { logFormat = f; return this; }

        /** Development mode ({@code --watch}); see the {@code liveReload} component. */
        public Builder liveReload(boolean on) { liveReload = on; return this; }

        /** The admin listener and the log files. */
        public Builder observe(ObserveOptions o) { observe = o; return this; }

        /** @throws IllegalArgumentException with a user-facing message for any invalid value */
        public ServerConfig build() {
            return new ServerConfig(listen, sites, model, new ModelOptions(threads, queue, selector, workers, reusePort || listenPerLoop, workerArgs, tcpNopush, listenPerLoop),
                    limits, timeouts, accessLog, debug, maxConnections, logFormat, liveReload, observe);
        }
    }
}
