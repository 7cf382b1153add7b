package io.tenk;

import io.tenk.config.ServerConfig;
import io.tenk.conn.ServerContext;
import io.tenk.files.GzipCache;
import io.tenk.files.OpenFileCache;
import io.tenk.files.PathResolver;
import io.tenk.handler.Cors;
import io.tenk.handler.Handler;
import io.tenk.handler.HandlerChain;
import io.tenk.handler.MethodGate;
import io.tenk.handler.ResponseHeaders;
import io.tenk.handler.SiteErrorPages;
import io.tenk.handler.SiteOptions;
import io.tenk.handler.StaticFileHandler;
import io.tenk.model.Model;
import io.tenk.model.Models;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A running tenk server: the embedding entry point, used by the CLI and by tests.
 *
 * <pre>{@code
 * try (TenkServer s = TenkServer.start(ServerConfig.defaults(Path.of("site")).withPort(0))) {
 *     System.out.println(s.address());
 * }
 * }</pre>
 */
public final class TenkServer implements AutoCloseable {
    private final Model model;
    private final AccessLog accessLog;

    private TenkServer(Model model, AccessLog accessLog) {
        this.model = model;
        this.accessLog = accessLog;
    }

    /** Starts serving with the given configuration, logging to stdout/stderr as configured. */
    public static TenkServer start(ServerConfig config) throws IOException {
        AccessLog access = config.accessLog() ? AccessLog.toStdout() : AccessLog.disabled();
        return start(config, access, ErrorLog.stderr(config.debug()));
    }

    /** Starts serving with explicit logs (tests capture them). */
    public static TenkServer start(ServerConfig config, AccessLog access, ErrorLog errors) throws IOException {
        ServerContext ctx = new ServerContext(handlerFor(config), config.limits(), config.timeouts(),
                ServerConfig.MAX_DISCARDED_BODY, access, errors);
        Model model = Models.create(config, ctx);
        try {
            model.start();
        } catch (IOException | RuntimeException e) {
            access.close();
            throw e;
        }
        return new TenkServer(model, access);
    }

    /**
     * The handler chain for one site, outermost first (each wraps the next, so the order is the
     * order in which a response is finished):
     * <ol>
     *   <li>{@link ResponseHeaders}: the site's {@code -H} fields, on every response;</li>
     *   <li>{@link Cors}: preflight answers, and Access-Control fields on every response;</li>
     *   <li>{@link SiteErrorPages}: the site's 403/404/500 pages in place of the standard ones;</li>
     *   <li>{@link MethodGate}: OPTIONS, 405, 501;</li>
     *   <li>{@link StaticFileHandler}: files, directories, listings, compression, validators, ranges.</li>
     * </ol>
     */
    static Handler handlerFor(ServerConfig config) {
        SiteOptions site = config.site();
        PathResolver resolver = new PathResolver(site.root());
        OpenFileCache files = site.openFileCache()
                ? new OpenFileCache(resolver, ServerConfig.OPEN_FILE_CACHE_VALIDITY.toNanos(),
                        ServerConfig.OPEN_FILE_CACHE_ENTRIES, ServerConfig.OPEN_FILE_CACHE_BYTES,
                        ServerConfig.OPEN_FILE_CACHE_MAX_FILE)
                : OpenFileCache.disabled(resolver);
        GzipCache gzip = site.compression()
                ? new GzipCache(ServerConfig.GZIP_MIN_BYTES, ServerConfig.GZIP_MAX_FILE, ServerConfig.GZIP_CACHE_BYTES)
                : null;
        Handler h = new HandlerChain(List.of(new MethodGate(), new StaticFileHandler(site, files, gzip)));
        if (site.errorPages()) h = new SiteErrorPages(files, h);
        if (site.corsOrigin() != null) h = new Cors(site.corsOrigin(), h);
        if (!site.headers().isEmpty()) h = new ResponseHeaders(site.headers(), h);
        return h;
    }

    public InetSocketAddress address() { return model.address(); }

    public Model model() { return model; }

    /** Asks the server to stop (in-flight responses finish, bounded by the shutdown timeout). */
    public void stop() { model.stop(); }

    /** Waits until the server has stopped, then flushes the access log. */
    public void awaitStopped() throws InterruptedException {
        model.awaitStopped();
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
