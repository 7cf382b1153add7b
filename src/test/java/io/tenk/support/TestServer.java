package io.tenk.support;

import io.tenk.config.ModelKind;
import io.tenk.TenkServer;
import io.tenk.config.SelectorKind;
import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A tenk server on 127.0.0.1 port 0 with captured logs, for tests. */
public final class TestServer implements AutoCloseable {
    private final TenkServer server;
    private final ByteArrayOutputStream access = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final AccessLog accessLog;

    private TestServer(ServerConfig config) throws IOException {
        accessLog = AccessLog.to(syncStream(access));
        server = TenkServer.start(config, accessLog,
                new ErrorLog(new PrintStream(syncStream(errors), true, StandardCharsets.UTF_8), false));
    }

    public static TestServer start(Path root) throws IOException {
        return start(config(root));
    }

    /**
     * Starts a server in this JVM. prefork's workers are JVMs of their own: unless the
     * configuration names a number, one worker serves the test's connections (the suites check
     * what each model does with a connection; PreforkTest and the CLI tests run several workers).
     */
    public static TestServer start(ServerConfig config) throws IOException {
        if (config.model() != ModelKind.PREFORK) return new TestServer(config);
        ServerConfig preforked = config.knobs().workers() > 0 ? config : config.with(b -> b.workers(1));
        return JvmStarts.one(() -> new TestServer(preforked));
    }

    /** The default configuration for a test: port 0 on loopback, the given root, access log on. */
    public static ServerConfig config(Path root) {
        return ServerConfig.defaults(root).with(b -> b.port(0));
    }

    public static ServerConfig config(Path root, Timeouts timeouts) {
        return config(root).with(b -> b.timeouts(timeouts));
    }

    /**
     * The default test configuration served by the named model (see {@code Models.ALL}), or by a
     * model with one event mechanism, named "model/selector", or "model/selector/threads"
     * ({@link AllModels#nativeEvents}).
     */
    public static ServerConfig config(Path root, String model) {
        return config(root).with(b -> model(b, model));
    }

    /**
     * A name of {@link #config(Path, String)}: "model", "model/selector" or "model/selector/threads"
     * (selector null and threads 0 when not named), read in one place.
     */
    private record Kind(String model, String selector, int threads) {
        static Kind of(String name) {
            String[] parts = name.split("/");
            return new Kind(parts[0], parts.length > 1 ? parts[1] : null, parts.length > 2 ? Integer.parseInt(parts[2]) : 0);
        }
    }

    /** The command-line flags for a name of {@link #config(Path, String)}: "--model selector --selector epoll-et". */
    public static String flags(String name) {
        Kind k = Kind.of(name);
        return "--model " + k.model() + (k.selector() != null ? " --selector " + k.selector() : "")
                + (k.threads() > 0 ? " --threads " + k.threads() : "");
    }

    /** Sets the model a name of {@link #config(Path, String)} stands for on {@code b}; returns {@code b}. */
    public static ServerConfig.Builder model(ServerConfig.Builder b, String name) {
        Kind k = Kind.of(name);
        b.model(ModelKind.parse(k.model()));
        return k.selector() == null ? b : b.selector(SelectorKind.parse(k.selector())).threads(k.threads());
    }

    /** The model of a name {@link #config(Path, String)} takes ("selector" for "selector/epoll-et"). */
    public static String modelOf(String name) {
        return Kind.of(name).model();
    }

    /** The names of the models, for {@code @MethodSource}: suites parameterised by it cover models added later ({@link AllModels#names()}). */
    public static java.util.stream.Stream<String> modelNames() {
        return AllModels.names();
    }

    public String modelName() { return server.model().name(); }

    /** Asks the server to stop without waiting. */
    public void stop() { server.stop(); }

    /** Blocks until the server has stopped (after {@link #stop()}). */
    public void awaitStopped() throws InterruptedException { server.awaitStopped(); }

    public InetSocketAddress address() { return server.address(); }

    /** Every listen address, in the order configured. */
    public java.util.List<InetSocketAddress> addresses() { return server.addresses(); }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address().getPort() + path);
    }

    public RawClient connect() throws IOException { return new RawClient(address()); }

    /**
     * The access log so far. Lines are flushed first; prefork's workers write theirs in their own
     * processes and the master forwards them: they are asked to flush and answer when all are in.
     */
    public String accessLog() {
        server.flushAccessLog();
        synchronized (access) { return access.toString(StandardCharsets.UTF_8); }
    }

    public String errorLog() {
        synchronized (errors) { return errors.toString(StandardCharsets.UTF_8); }
    }

    private static java.io.OutputStream syncStream(ByteArrayOutputStream target) {
        return new java.io.OutputStream() {
            @Override public void write(int b) { synchronized (target) { target.write(b); } }
            @Override public void write(byte[] b, int off, int len) { synchronized (target) { target.write(b, off, len); } }
        };
    }

    @Override public void close() { server.close(); }
}
