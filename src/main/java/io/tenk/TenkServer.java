package io.tenk;

import io.tenk.config.ServerConfig;
import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.ServerContext;
import io.tenk.handler.Handler;
import io.tenk.handler.HandlerChain;
import io.tenk.handler.MethodGate;
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
                ServerConfig.MAX_DISCARDED_BODY, access, errors, new ConnectionLimiter(config.maxConnections()));
        Model model = Models.create(config, ctx);
        try {
            model.start();
        } catch (IOException | RuntimeException e) {
            access.close();
            throw e;
        }
        return new TenkServer(model, access);
    }

    /** The handler chain for one site: method checks, then static files. */
    static Handler handlerFor(ServerConfig config) {
        return new HandlerChain(List.of(new MethodGate(), new StaticFileHandler(config.root())));
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
