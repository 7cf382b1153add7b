package io.tenk;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.TlsConfig;
import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.Fatal;
import io.tenk.conn.ServerContext;
import io.tenk.files.GzipCache;
import io.tenk.files.ListingCache;
import io.tenk.files.MemoryBudget;
import io.tenk.files.OpenFileCache;
import io.tenk.files.PathResolver;
import io.tenk.handler.Cors;
import io.tenk.handler.FaultInjection;
import io.tenk.handler.Handler;
import io.tenk.handler.HandlerChain;
import io.tenk.handler.HostTable;
import io.tenk.handler.LiveReload;
import io.tenk.handler.MethodGate;
import io.tenk.handler.RulesHandler;
import io.tenk.handler.ResponseHeaders;
import io.tenk.handler.SiteErrorPages;
import io.tenk.handler.SiteOptions;
import io.tenk.handler.StaticFileHandler;
import io.tenk.handler.SwappableHandler;
import io.tenk.handler.VirtualHosts;
import io.tenk.config.ObserveOptions;
import io.tenk.model.AdminListener;
import io.tenk.model.InheritedSocket;
import io.tenk.model.Model;
import io.tenk.model.Models;
import io.tenk.observe.AccessLog;
import io.tenk.observe.AdminPages;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Health;
import io.tenk.observe.LogThrottle;
import io.tenk.observe.Metrics;
import io.tenk.observe.MetricsText;
import io.tenk.observe.Exposition;
import io.tenk.observe.WorkerMetrics;
import io.tenk.observe.TreeWatcher;
import io.tenk.tls.AcmeRenewals;
import io.tenk.tls.ServerTls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A running tenk server: the embedding entry point, used by the CLI and by tests.
 *
 * <pre>{@code
 * try (TenkServer s = TenkServer.start(ServerConfig.defaults(Path.of("site")).with(b -> b.port(0)))) {
 *     System.out.println(s.address());
 * }
 * }</pre>
 *
 * One model instance runs per listen address; they share one handler, which {@link #reload}
 * swaps atomically.
 */
public final class TenkServer implements AutoCloseable {
    private final List<Model> models;
    private final AccessLog accessLog;
    private final ErrorLog errorLog;
    private final SwappableHandler handler;
    private final Consumer<String> problems;
    private final ConnectionLimiter connections;
    private final TreeWatcher watcher; // --watch, else null
    private final FatalStop fatal;
    private final Operations ops;
    private final Tls tls;
    private ServerConfig config;
    private final AtomicBoolean delayedStop = new AtomicBoolean();

    /** What an operator sees: the health, the counters, the admin listener (null when none). */
    private record Operations(Health health, Metrics metrics, AdminListener admin) {}

    /** The HTTPS listeners' certificates (null without one) and what renews them by ACME (null without an ACME site). */
    private record Tls(ServerTls certificates, AcmeRenewals acme) {}

    private TenkServer(List<Model> models, AccessLog accessLog, ErrorLog errorLog, Consumer<String> problems,
                       SwappableHandler handler, ConnectionLimiter connections, TreeWatcher watcher, ServerConfig config,
                       FatalStop fatal, Operations ops, Tls tls) {
        this.models = List.copyOf(models);
        this.ops = ops;
        this.tls = tls;
        this.connections = connections;
        this.watcher = watcher;
        this.accessLog = accessLog;
        this.errorLog = errorLog;
        this.problems = problems;
        this.handler = handler;
        this.config = config;
        this.fatal = fatal;
        fatal.arm(this::stop);
    }

    /**
     * The one place a thread that cannot go on reports to ({@link Fatal}): the first report is
     * logged (one line) and stops the server; later ones are its consequences and stay quiet.
     */
    private static final class FatalStop implements Fatal {
        private final ErrorLog log;
        private final AtomicBoolean failed = new AtomicBoolean();
        private volatile Runnable stop;

        FatalStop(ErrorLog log) { this.log = log; }

        @Override public void failed(String what, Throwable cause) {
            if (!failed.compareAndSet(false, true)) return;
            log.error(what + " failed, stopping the server", cause);
            Runnable s = stop;
            if (s != null) s.run();
        }

        /** The server exists: a failure from now on stops it; one reported while it started stops it now. */
        void arm(Runnable s) {
            stop = s;
            if (failed.get()) s.run();
        }

        boolean failed() { return failed.get(); }
    }

    /** Starts serving with the given configuration, logging to stdout/stderr or the files configured. */
    public static TenkServer start(ServerConfig config) throws IOException {
        ObserveOptions o = config.observe();
        boolean json = config.logFormat() == AccessLog.Format.JSON; // one format for both logs
        ErrorLog errors = o.errorFile() == null ? ErrorLog.stderr(config.debug(), json) : ErrorLog.toFile(o.errorFile(), config.debug(), json);
        AccessLog access = !config.accessLog() ? AccessLog.disabled()
                : o.accessFile() == null ? AccessLog.toStdout(config.logFormat())
                : AccessLog.toFile(o.accessFile(), config.logFormat());
        return start(config, access, errors);
    }

    /** tenk's version, as Maven wrote it into the jar ("unknown" when run from classes). */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = TenkServer.class.getResourceAsStream("/tenk-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // fall back to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    /** Starts serving with explicit logs (tests capture them). */
    public static TenkServer start(ServerConfig config, AccessLog access, ErrorLog errors) throws IOException {
        TreeWatcher watcher = config.liveReload()
                ? TreeWatcher.start(config.sites().stream().map(Site::root).distinct().toList(), errors) : null;
        // what requests can repeat as fast as clients send (a pattern over its budget): one line a second
        Consumer<String> problems = new LogThrottle(LogThrottle.ONE_SECOND).wrap(errors::warn);
        SwappableHandler handler = new SwappableHandler(handlerFor(config, problems, watcher));
        FatalStop fatal = new FatalStop(errors);
        Listen adminAt = config.observe().admin();
        // a prefork worker counts for its master, which reads the counts through the worker's pipe
        Metrics metrics = adminAt == null && !config.observe().countsForMaster() ? Metrics.disabled() : Metrics.counting();
        AtomicReference<List<Model>> serving = new AtomicReference<>(List.of());
        ServerContext ctx = new ServerContext(FaultInjection.wrapIfEnabled(handler), config.limits(), config.timeouts(),
                ServerConfig.MAX_DISCARDED_BODY, access, errors, new ConnectionLimiter(config.maxConnections()), fatal, metrics);
        Health health = new Health();
        List<Model> started = new ArrayList<>();
        AdminListener admin = null;
        Listeners listeners;
        try {
            if (adminAt != null) admin = startAdmin(adminAt, config, ctx, health, serving); // first: /readyz says "starting"
            listeners = new Listeners(config, ctx);
            // HTTPS first: a plain listener's redirects name the port HTTPS got
            // started by the service manager with its socket: that one socket, in place of the first address
            Model[] models = new Model[InheritedSocket.offered() ? 1 : config.listen().size()];
            for (boolean tls : new boolean[] {true, false}) {
                for (int i = 0; i < models.length; i++) {
                    Listen l = config.listen().get(i);
                    if (l.tls() != tls) continue;
                    Model model = Models.create(config, l, listeners.context(l));
                    model.start();
                    started.add(model);
                    models[i] = model;
                    if (tls) listeners.httpsStarted(model.address().getPort());
                }
            }
            started = new ArrayList<>(List.of(models));
            serving.set(List.copyOf(started));
        } catch (IOException | RuntimeException e) {
            if (admin != null) admin.close();
            for (Model m : started) m.stop();
            for (Model m : started) {
                try {
                    m.awaitStopped();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            access.close();
            if (watcher != null) watcher.close();
            throw e;
        }
        health.serving();
        // once the plain listeners answer the challenges: the CA asks them
        AcmeRenewals acme = listeners.challenges() == null ? null : AcmeRenewals.start(listeners.tls(), listeners.challenges(), errors);
        return new TenkServer(started, access, errors, problems, handler, ctx.connections(), watcher, config, fatal,
                new Operations(health, metrics, admin), new Tls(listeners.tls(), acme));
    }

    private static AdminListener startAdmin(Listen at, ServerConfig config, ServerContext ctx, Health health,
                                            AtomicReference<List<Model>> serving) throws IOException {
        MetricsText text = metricsText(ctx.metrics(), health, ctx.connections(), config, () -> workerMetrics(serving.get()));
        try {
            return AdminListener.start(new InetSocketAddress(at.host(), at.port()), new AdminPages(health, text), ctx.errorLog());
        } catch (IOException e) {
            throw new IOException("cannot listen on " + at + " (admin): " + ErrorLog.describe(e), e);
        }
    }

    /**
     * The whole chain: the site the Host names (or the only site), then that site's chain. Every
     * site's caches live in the process's one {@link MemoryBudget}. With live reload ({@code watcher}
     * not null), {@link LiveReload} wraps it all and every site runs without the open-file cache or
     * compression (an edit shows at once, and pages can get their script).
     */
    static Handler handlerFor(ServerConfig config, Consumer<String> problems, TreeWatcher watcher) {
        if (!config.model().answersInProcess()) return request -> null; // its workers answer
        ServerConfig c = watcher == null ? config : config.with(b -> b.siteOptions(TenkServer::uncached));
        ListingCache listings = new ListingCache(MemoryBudget.process(), ServerConfig.OPEN_FILE_CACHE_VALIDITY.toNanos());
        List<Handler> sites = c.sites().stream().map(s -> siteHandler(s, MemoryBudget.process(), listings, problems)).toList();
        Handler h = sites.size() == 1 ? sites.getFirst()
                : new VirtualHosts(new HostTable(c.sites().stream().map(Site::names).toList()), sites);
        return watcher == null ? h : new LiveReload(watcher::version, h);
    }

    /**
     * The handler chain of one site, outermost first (each wraps the next, so the order is the
     * order in which a response is finished):
     * <ol>
     *   <li>{@link ResponseHeaders}: the site's extra fields ({@code -H}), on every response;</li>
     *   <li>{@link Cors}: preflight answers, and Access-Control fields on every response;</li>
     *   <li>{@link SiteErrorPages}: the site's 403/404/500 pages in place of the standard ones;</li>
     *   <li>{@link MethodGate}: OPTIONS, 405, 501;</li>
     *   <li>{@link RulesHandler}: the site's redirect, rewrite, deny, header and fallback rules;</li>
     *   <li>{@link StaticFileHandler}: files, directories, listings, compression, validators, ranges.</li>
     * </ol>
     */
    static Handler siteHandler(Site s, MemoryBudget budget, ListingCache listings, Consumer<String> problems) {
        SiteOptions site = s.options();
        PathResolver resolver = new PathResolver(site.root());
        OpenFileCache files = site.openFileCache()
                ? new OpenFileCache(resolver, ServerConfig.OPEN_FILE_CACHE_VALIDITY.toNanos(), budget,
                        ServerConfig.OPEN_FILE_CACHE_MAX_FILE)
                : OpenFileCache.disabled(resolver);
        GzipCache gzip = site.compression()
                ? new GzipCache(ServerConfig.GZIP_MIN_BYTES, ServerConfig.GZIP_MAX_FILE, budget)
                : null;
        Handler staticFiles = new StaticFileHandler(site, files, gzip, listings);
        Handler h = new HandlerChain(List.of(new MethodGate(), new RulesHandler(s.rules(), staticFiles, problems)));
        if (site.errorPages()) h = new SiteErrorPages(files, h);
        if (site.corsOrigin() != null) h = new Cors(site.corsOrigin(), h);
        if (!site.headers().isEmpty()) h = new ResponseHeaders(site.headers(), h);
        return h;
    }

    /**
     * The handler chain a server started with {@code config} answers requests with, caches and all
     * (for embedding it under another transport, and for benchmarks); problems are dropped.
     */
    public static Handler handler(ServerConfig config) {
        return handlerFor(config, line -> { }, null);
    }

    /** The handler of one site for offline tools ({@code tenk rules test}): problems are dropped. */
    public static Handler siteHandlerForTools(Site site) {
        // no caches: the tool reports which file would be sent, not bytes from memory
        return siteHandler(site.withOptions(uncached(site.options())), MemoryBudget.ofBytes(0), ListingCache.disabled(), line -> { });
    }

    /** A site's options without the open-file cache and compression: what is served is the file as it is now. */
    private static SiteOptions uncached(SiteOptions o) {
        return o.with(b -> b.openFileCache(false).compression(false));
    }

    /**
     * Switches to {@code next}'s sites and rules at once; requests in flight finish with the old
     * ones and no connection is dropped. The HTTPS listeners read their certificate files again
     * (a pair that does not load keeps the one in use, logged). What a reload cannot change
     * (listen addresses, model, limits, timeouts, logs, which certificate files) keeps its old value.
     *
     * @return one line per setting that changed but needs a restart (empty when none)
     */
    public synchronized List<String> reload(ServerConfig next) {
        Handler h = handlerFor(next, problems, watcher); // the trees watched stay those of the start
        List<String> ignored = new ArrayList<>();
        if (!next.listen().equals(config.listen())) ignored.add("listen addresses changed: restart to apply");
        if (!next.model().equals(config.model())) ignored.add("model changed: restart to apply");
        if (!next.limits().equals(config.limits())) ignored.add("limits changed: restart to apply");
        if (!next.timeouts().equals(config.timeouts())) ignored.add("timeouts changed: restart to apply");
        if (next.maxConnections() != config.maxConnections()) ignored.add("max connections changed: restart to apply");
        if (tls.certificates() != null && !certificates(next).equals(certificates(config))) {
            ignored.add("certificates changed: restart to apply");
        }
        if (tls.certificates() != null) tls.certificates().reload(); // the files named at start, read again
        if (next.accessLog() != config.accessLog() || next.debug() != config.debug()) ignored.add("logging changed: restart to apply");
        if (!next.observe().equals(config.observe())) ignored.add("admin listener or log files changed: restart to apply");
        handler.swap(h);
        config = next;
        for (Model m : models) m.reload();
        ops.health().reloaded(true);
        ops.metrics().reloaded(true);
        return ignored;
    }

    /** A reload was refused (the file did not load): the running config stays; {@code /readyz} is 503 until a good one. */
    public void reloadFailed() {
        ops.health().reloaded(false);
        ops.metrics().reloaded(false);
    }

    /**
     * Opens the log files again by name (SIGUSR1, after logrotate moved them); no line is lost or
     * split. A file that cannot be opened is reported and the old one stays in use.
     */
    public void reopenLogs() {
        try {
            accessLog.reopen();
        } catch (IOException e) {
            errorLog.error("access log not reopened", e);
        }
        try {
            errorLog.reopen();
        } catch (IOException e) {
            errorLog.error("error log not reopened", e);
        }
    }

    /** The admin listener's address (with the real port when 0 was asked for), or null when there is none. */
    public InetSocketAddress adminAddress() { return ops.admin() == null ? null : ops.admin().address(); }

    /** Each site's TLS settings, by its names (which files HTTPS listeners read). */
    private static java.util.Map<List<String>, TlsConfig> certificates(ServerConfig c) {
        java.util.Map<List<String>, TlsConfig> m = new java.util.HashMap<>();
        for (Site s : c.sites()) if (s.tls() != null) m.put(s.names(), s.tls());
        return m;
    }

    /** The first listen address (with the real port when 0 was asked for). */
    public InetSocketAddress address() { return models.getFirst().address(); }

    /** Every listen address, in the order configured. */
    public List<InetSocketAddress> addresses() { return models.stream().map(Model::address).toList(); }

    /** The model serving the first address (all addresses run the same model). */
    public Model model() { return models.getFirst(); }

    /**
     * Writes out every access line logged so far, including those of {@code prefork} workers not
     * yet forwarded, and returns once they are written.
     */
    /** This server's metrics text (a prefork worker's, which its master asks for). */
    public String metricsText() {
        return metricsText(ops.metrics(), ops.health(), connections, config, () -> null).render();
    }

    /** Writes {@code text} on stdout between batches of access lines (false: no access log, the caller writes it). */
    public boolean writeBesideAccessLog(String text) {
        return accessLog.writeBetweenLines(text);
    }

    private static MetricsText metricsText(Metrics metrics, Health health, ConnectionLimiter c, ServerConfig config,
                                           java.util.function.Supplier<WorkerMetrics> workers) {
        return new MetricsText(metrics, health, new MetricsText.Connections(c::open, c::responding, c::refusedCount),
                config.model().id(), version(), workers);
    }

    /** What the worker processes of {@code models} counted, or null when they serve in this process. */
    private static WorkerMetrics workerMetrics(List<Model> models) {
        List<Exposition> live = new ArrayList<>();
        Exposition retired = Exposition.empty();
        boolean any = false;
        for (Model m : models) {
            WorkerMetrics w = m.workerMetrics();
            if (w == null) continue;
            any = true;
            live.addAll(w.live());
            retired.add(w.retired(), true);
        }
        return any ? new WorkerMetrics(live, retired) : null;
    }

    public void flushAccessLog() {
        for (Model m : models) m.flushAccessLog();
        accessLog.flush();
    }

    /**
     * Asks the server to stop (in-flight responses finish, bounded by the shutdown timeout);
     * {@code /readyz} answers 503 from now on.
     */
    public void stop() {
        ops.health().draining();
        if (tls.acme() != null) tls.acme().close(); // no renewal begins while the server stops
        long delay = config.observe().drainDelay().toMillis();
        if (delay == 0 || !delayedStop.compareAndSet(false, true)) {
            models.forEach(Model::stop);
            return;
        }
        // /readyz says 503 from now; the listeners close once a load balancer had time to see it
        Thread.ofPlatform().daemon().name("tenk-drain-delay").start(() -> {
            try {
                Thread.sleep(delay); // the operator's delay, not a wait for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            models.forEach(Model::stop);
        });
    }

    /**
     * Responses being written now in this process (what {@link #stop()} waits for). A prefork
     * master's workers are other processes: it reports 0.
     */
    public int responsesInFlight() { return connections.responding(); }

    /** Connections open now in this process (a prefork master's are its workers': 0). */
    public int connectionsOpen() { return connections.open(); }

    /**
     * For a process about to exit at once (a second Ctrl-C): asks the models to stop and writes out
     * the access log; the caller then exits, which cuts the connections still open.
     */
    public void stopNow() {
        stop();
        accessLog.close();
    }

    /**
     * Whether the server stopped (or is stopping) because one of its threads could not go on
     * ({@link Fatal}); the command line then exits non-zero.
     */
    public boolean failed() { return fatal.failed(); }

    /** Waits until the server has stopped, then flushes the access log. */
    public void awaitStopped() throws InterruptedException {
        for (Model m : models) m.awaitStopped();
        if (ops.admin() != null) ops.admin().close();
        if (watcher != null) watcher.close();
        accessLog.close();
    }

    /** Stops and waits. */
    @Override public void close() {
        stop();
        try {
            awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
