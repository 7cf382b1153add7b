package io.tenk.cli;

import io.tenk.config.ConfigFile;
import io.tenk.config.Listen;
import io.tenk.config.ModelKind;
import io.tenk.config.ModelOptions;
import io.tenk.config.SelectorKind;
import io.tenk.config.ObserveOptions;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.handler.SiteOptions;
import io.tenk.http.FieldSyntax;
import io.tenk.config.Timeouts;
import io.tenk.model.Models;
import io.tenk.observe.AccessLog;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The options of {@code tenk} and {@code tenk serve}, named as in jwebserver and python's http.server. */
final class ServeCommand implements Cli.Command {
    private static final String[] DESCRIPTION = {"Serves a directory over HTTP/1.1: fast, strict and safe.",
                "Without -d it serves the bundled demo site (when run from the repository) or the current directory."};
    private static final String[] FOOTER = {"", "Examples:",
                "  tenk                      serve on http://127.0.0.1:7890/",
                "  tenk 8080                 serve on port 8080",
                "  tenk -p 0 -d /srv/www     serve /srv/www on a free port",
                "  tenk -b 0.0.0.0 -p 8080   serve the network (not only this machine)",
                "  tenk --watch --open       develop: open a browser, reload pages on save",
                "  tenk --config tenk.toml   serve the sites and rules of a config file",
                "                            (SIGHUP reloads it)",
                "  tenk check --config F     validate a config file and show what it would serve",
                "  tenk rules test --config F URL...",
                "                            show how the rules treat each URL",
                "  tenk --spa --cors         a single-page app, callable from any origin",
                "  tenk --log-format json    one JSON object per request on stdout",
                "  tenk --admin 127.0.0.1:9090 --access-log access.log",
                "                            metrics and health checks; log to a file",
                "  tenk compress DIR         precompress DIR's text files",
                "                            (.gz, .br, .zst beside each)",
                "  tenk --model virtual      a virtual thread per connection",
                "  tenk --https              HTTPS with a local development certificate",
                "                            (tenk ca: how to trust it)",
                "  tenk --tls-cert C --tls-key K",
                "                            HTTPS with your certificate (PEM files)",
                "  tenk models               list the concurrency models",
                "  tenk ca                   where the local CA is, how to trust it",
                "  tenk COMMAND --help       the options of serve, compress, check,",
                "                            rules test, models or ca"};

    Integer positionalPort;

    Integer port;

    String bind;

    Path config;

    Path directory;

    boolean quiet;

    String logFormat;

    Path accessLogFile;

    Path errorLogFile;

    String admin;

    String drainDelay;

    boolean watch;

    boolean open;

    boolean debug;

    String model;

    Integer threads;

    Integer queue;

    Integer workers;

    /** Set by a prefork master for its workers: run the reactor on this shared port. */
    Integer preforkWorker;

    /**
     * Set by the launcher's training run ({@code ./tenk}, {@code scripts/dist.sh}): once serving,
     * fetch the site from itself this many times, then stop. The JVM records what that run loaded
     * and linked in an ahead-of-time cache, which later starts read instead of doing the work again.
     */
    int warmUp;

    /** Set by a process-model parent for its children: serve the connection on stdin. */
    boolean processChild;

    String selector;

    String tcpNopush;

    String reusePort;

    boolean noList;

    boolean spa;

    String cors;

    List<String> headers = new ArrayList<>();

    Long maxAge;

    boolean noCompress;

    boolean noCache;

    String headerTimeout;

    String bodyTimeout;

    String idleTimeout;

    String writeTimeout;

    Long minWriteRate;

    Integer maxConnections;

    final TlsOptions tls = new TlsOptions();

    /**
     * The command line these options are parsed from: picocli's model of them, built here rather
     * than read from annotations, which at start cost some 50 ms of reflection and a proxy class per
     * annotation type. Parsing sets the fields.
     */
    CommandLine commandLine() {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(this).name("tenk").versionProvider(new VersionProvider());
        spec.usageMessage().sortOptions(false)
                .description(DESCRIPTION)
                .footer(FOOTER);
        spec.addPositional(PositionalParamSpec.builder().index("0").type(Integer.class).setter(bind((Integer v) -> positionalPort = v)).getter(bind(() -> positionalPort)).initialValue(positionalPort)
                .arity("0..1")
                .paramLabel("PORT")
                .description("Port to listen on (same as -p).")
                .build());
        spec.addOption(option(Integer.class, v -> port = v, () -> port, "-p", "--port")
                .paramLabel("PORT")
                .description("Port to listen on; 0 picks a free one (default: " + ServerConfig.DEFAULT_PORT + ").")
                .build());
        spec.addOption(option(String.class, v -> bind = v, () -> bind, "-b", "--bind")
                .paramLabel("ADDRESS")
                .description("Address to listen on (default: " + ServerConfig.DEFAULT_BIND + "; 0.0.0.0 or :: serves the network);"
                    + " replaces the config file's listen addresses.")
                .build());
        spec.addOption(option(Path.class, v -> config = v, () -> config, "-c", "--config")
                .paramLabel("FILE")
                .description("Config file (TOML): listen addresses, sites, rules; flags given here override it.")
                .build());
        spec.addOption(option(Path.class, v -> directory = v, () -> directory, "-d", "--directory")
                .paramLabel("DIR")
                .description("Directory to serve.")
                .build());
        spec.addOption(option(boolean.class, v -> quiet = v, () -> quiet, "-q", "--quiet")
                .description("No access log on stdout.")
                .build());
        spec.addOption(option(String.class, v -> logFormat = v, () -> logFormat, "--log-format")
                .paramLabel("FORMAT")
                .description("Access-log lines: combined (default) or json (one JSON object per line; the start and stop lines go to stderr).")
                .build());
        spec.addOption(option(Path.class, v -> accessLogFile = v, () -> accessLogFile, "--access-log")
                .paramLabel("FILE")
                .description("Append the access log to FILE instead of stdout (SIGUSR1 reopens it, for logrotate).")
                .build());
        spec.addOption(option(Path.class, v -> errorLogFile = v, () -> errorLogFile, "--error-log")
                .paramLabel("FILE")
                .description("Append the error log to FILE instead of stderr (SIGUSR1 reopens it).")
                .build());
        spec.addOption(option(String.class, v -> admin = v, () -> admin, "--admin")
                .paramLabel("ADDR")
                .description("Serve /metrics (Prometheus), /healthz and /readyz on ADDR (host:port, e.g. 127.0.0.1:9090;"
                    + " default: no admin listener).")
                .build());
        spec.addOption(option(String.class, v -> drainDelay = v, () -> drainDelay, "--drain-delay")
                .paramLabel("TIME")
                .description("On SIGTERM, keep serving this long while /readyz already says 503, so a load balancer"
                    + " takes the instance out before its listeners close (default: 0s).")
                .build());
        spec.addOption(option(boolean.class, v -> watch = v, () -> watch, "--watch")
                .description("Development: pages reload by themselves when a file under the root changes"
                    + " (a script is injected into HTML; caches and compression off). Not with --model prefork or process.")
                .build());
        spec.addOption(option(boolean.class, v -> open = v, () -> open, "--open")
                .description("Open the site in a browser once serving ($BROWSER, else xdg-open or open).")
                .build());
        spec.addOption(option(boolean.class, v -> debug = v, () -> debug, "--debug")
                .description("Print stack traces with error messages.")
                .build());
        spec.addOption(option(String.class, v -> model = v, () -> model, "--model")
                .paramLabel("NAME")
                .description("Concurrency model (default: " + ServerConfig.DEFAULT_MODEL_NAME + "); `tenk models` lists them.")
                .build());
        spec.addOption(option(Integer.class, v -> threads = v, () -> threads, "--threads")
                .paramLabel("N")
                .description("Worker threads of pool (default 4 x cores), event loops of reactor (default: cores), or"
                    + " threads of selector sharing one epoll set (--selector epoll-oneshot only; default 1).")
                .build());
        spec.addOption(option(Integer.class, v -> queue = v, () -> queue, "--queue")
                .paramLabel("N")
                .description("Connections pool may queue for a thread; beyond, 503 (default: " + ServerConfig.DEFAULT_QUEUE + ").")
                .build());
        spec.addOption(option(Integer.class, v -> workers = v, () -> workers, "--workers")
                .paramLabel("N")
                .description("Worker processes of prefork (default: cores).")
                .build());
        spec.addOption(option(Integer.class, v -> preforkWorker = v, () -> preforkWorker, Models.PREFORK_WORKER_FLAG)
                .paramLabel("PORT")
                .hidden(true)
                .build());
        spec.addOption(option(int.class, v -> warmUp = v, () -> warmUp, "--warm-up")
                .paramLabel("N")
                .hidden(true)
                .build());
        spec.addOption(option(boolean.class, v -> processChild = v, () -> processChild, Models.PROCESS_CHILD_FLAG)
                .hidden(true)
                .build());
        spec.addOption(option(String.class, v -> selector = v, () -> selector, "--selector")
                .paramLabel("KIND")
                .description("Event mechanism of selector and reactor: epoll, poll, select, native-poll, epoll-lt, epoll-et"
                    + " or epoll-oneshot (default: "
                    + ServerConfig.DEFAULT_SELECTOR_NAME + ").")
                .build());
        spec.addOption(option(String.class, v -> tcpNopush = v, () -> tcpNopush, "--tcp-nopush")
                .paramLabel("on|off")
                .description("selector and reactor: send a response head and its file body corked (TCP_CORK, Linux),"
                    + " as nginx's tcp_nopush, and a connection's last response corked until the close, so that"
                    + " it leaves with the FIN (default: on where the system has TCP_CORK, Linux).")
                .build());
        spec.addOption(option(String.class, v -> reusePort = v, () -> reusePort, "--reuseport")
                .paramLabel("on|off")
                .description("reactor: each loop listens on a socket of its own on the one port (SO_REUSEPORT) and accepts"
                    + " for itself, the kernel spreading new connections over them, instead of one acceptor thread handing"
                    + " them out, as nginx's listen ... reuseport (default: off).")
                .build());
        spec.addOption(option(boolean.class, v -> noList = v, () -> noList, "--no-list")
                .description("No directory listings (a directory without an index file answers 404).")
                .build());
        spec.addOption(option(boolean.class, v -> spa = v, () -> spa, "--spa")
                .description("Single-page app: a missing path without a file extension (/users/42) gets /index.html; a missing /app.js stays 404.")
                .build());
        spec.addOption(option(String.class, v -> cors = v, () -> cors, "--cors")
                .arity("0..1")
                .fallbackValue("*")
                .paramLabel("ORIGIN")
                .description("Allow cross-origin requests from ORIGIN (default when given without a value: any, '*').")
                .build());
        spec.addOption(OptionSpec.builder("-H", "--header").type(List.class).auxiliaryTypes(String.class).setter(bind((List<String> v) -> headers = v)).getter(bind(() -> headers)).initialValue(headers)
                .paramLabel("'NAME: VALUE'")
                .description("Add a header to every response (repeatable), e.g. -H 'Cross-Origin-Opener-Policy: same-origin'.")
                .build());
        spec.addOption(option(Long.class, v -> maxAge = v, () -> maxAge, "--max-age")
                .paramLabel("SECONDS")
                .description("Cache-Control max-age for files other than HTML (default: " + ServerConfig.DEFAULT_MAX_AGE
                    + ", i.e. no-cache: browsers revalidate each time). HTML always revalidates.")
                .build());
        spec.addOption(option(boolean.class, v -> noCompress = v, () -> noCompress, "--no-compress")
                .description("No compression: neither precompressed siblings nor gzip on the fly.")
                .build());
        spec.addOption(option(boolean.class, v -> noCache = v, () -> noCache, "--no-cache")
                .description("No open-file cache (stat and open on every request).")
                .build());
        spec.addOption(option(String.class, v -> headerTimeout = v, () -> headerTimeout, "--header-timeout")
                .paramLabel("TIME")
                .description("Time to send a request head (slowloris guard), then 408 and close (default: 10s).")
                .build());
        spec.addOption(option(String.class, v -> bodyTimeout = v, () -> bodyTimeout, "--body-timeout")
                .paramLabel("TIME")
                .description("A request body that makes no progress this long is abandoned (default: 10s).")
                .build());
        spec.addOption(option(String.class, v -> idleTimeout = v, () -> idleTimeout, "--idle-timeout")
                .paramLabel("TIME")
                .description("A kept-alive connection with no request is closed after this long (default: 15s).")
                .build());
        spec.addOption(option(String.class, v -> writeTimeout = v, () -> writeTimeout, "--write-timeout")
                .paramLabel("TIME")
                .description("A response the client does not read for this long is abandoned (default: 30s).")
                .build());
        spec.addOption(option(Long.class, v -> minWriteRate = v, () -> minWriteRate, "--min-write-rate")
                .paramLabel("BYTES")
                .description("Bytes per second a response must average: one of N bytes is closed unless written within"
                    + " the write timeout plus N divided by this; 0 for no bound (default: 4096).")
                .build());
        spec.addOption(option(Integer.class, v -> maxConnections = v, () -> maxConnections, "--max-connections")
                .paramLabel("N")
                .description("Connections served at once; more get 503 and are closed (default: the soft ulimit -n less an eighth (at least 64) kept for files, at least 16).")
                .build());
        tls.addTo(spec);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        return new CommandLine(spec);
    }

    /**
     * An option bound to a field: parsing sets it through {@code set}; help and picocli's reset
     * before each parse read it through {@code get}, whose value now is the initial one.
     */
    static <T> OptionSpec.Builder option(Class<T> type, Consumer<T> set, Supplier<T> get, String... names) {
        return OptionSpec.builder(names).type(type).setter(bind(set)).getter(bind(get)).initialValue(get.get());
    }

    /** Parsing sets a field through this. */
    private static <V> ISetter bind(Consumer<V> set) {
        return new ISetter() {
            @SuppressWarnings("unchecked") @Override public <T> T set(T value) {
                set.accept((V) value);
                return null;
            }
        };
    }

    /** Help and defaults read a field through this. */
    private static <V> IGetter bind(Supplier<V> get) {
        return new IGetter() {
            @SuppressWarnings("unchecked") @Override public <T> T get() {
                return (T) get.get();
            }
        };
    }

    /** Validates the options and builds the configuration; IllegalArgumentException carries a user-facing message. */
    ServerConfig toConfig() {
        if (port != null && positionalPort != null && !port.equals(positionalPort)) {
            throw new IllegalArgumentException("two different ports given: " + positionalPort + " and -p " + port);
        }
        int p = port != null ? port : positionalPort != null ? positionalPort : ServerConfig.DEFAULT_PORT;
        Listen.checkPort(p); // named before a missing directory
        Path root = directory != null ? directory : Cli.defaultRoot();
        Site.checkRoot(root);
        if (bind != null && bind.isBlank()) throw new IllegalArgumentException("empty bind address");
        ServerConfig base = ServerConfig.defaults(root.toAbsolutePath().normalize());
        ServerConfig file = base;
        if (config != null) {
            file = ConfigFile.load(config, base); // ConfigException: file:line: key: problem
            if (directory != null && !file.sites().equals(base.sites())) {
                throw new IllegalArgumentException("-d cannot be combined with a config file that has [[site]] tables (set root there)");
            }
        }
        // flags given on the command line override the file
        ServerConfig.Builder cfg = file.toBuilder();
        if (bind != null) cfg.listen(List.of(new Listen(bind, file.listen().getFirst().port()))); // -b replaces the file's addresses
        if (port != null || positionalPort != null || config == null) cfg.port(p);
        if (quiet) cfg.accessLog(false);
        if (logFormat != null) {
            AccessLog.Format f = ConfigFile.logFormat(logFormat);
            if (f == null) throw new IllegalArgumentException("unknown log format: " + logFormat + " (combined or json)");
            cfg.logFormat(f);
        }
        if (debug) cfg.debug(true);
        modelFlags(cfg);
        limitFlags(cfg, file.timeouts());
        if (watch) cfg.liveReload(true);
        cfg.observe(observeFlags(file.observe()));
        // last: a worker keeps neither the master's admin listener nor its log files
        if (preforkWorker != null) cfg.preforkWorker(preforkWorker);
        return tls.apply(cfg.siteOptions(this::siteFlags).build(), System.getenv());
    }

    /** The admin listener and the log files, when given, over what the file says ({@code o}). */
    private ObserveOptions observeFlags(ObserveOptions o) {
        if (admin != null) {
            try {
                o = o.withAdmin(Listen.parse(admin));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--admin " + e.getMessage());
            }
        }
        if (drainDelay != null) o = o.withDrainDelay(Durations.parse("--drain-delay", drainDelay));
        if (accessLogFile != null) o = o.withAccessFile(logFile("--access-log", accessLogFile));
        if (errorLogFile != null) o = o.withErrorFile(logFile("--error-log", errorLogFile));
        return o;
    }

    private static Path logFile(String flag, Path file) {
        Path p = file.toAbsolutePath().normalize();
        String problem = ObserveOptions.logFileProblem(p);
        if (problem != null) throw new IllegalArgumentException(flag + ": " + problem);
        return p;
    }

    /** The model and its knobs, when given, over what the file or defaults say. */
    private void modelFlags(ServerConfig.Builder cfg) {
        if (threads != null && (threads < 1 || threads > ModelOptions.MAX_THREADS)) {
            throw new IllegalArgumentException("--threads " + threads + " is out of range (1-" + ModelOptions.MAX_THREADS + ")");
        }
        if (queue != null && (queue < 0 || queue > ModelOptions.MAX_QUEUE)) {
            throw new IllegalArgumentException("--queue " + queue + " is out of range (0-" + ModelOptions.MAX_QUEUE + ")");
        }
        if (workers != null && (workers < 1 || workers > ModelOptions.MAX_WORKERS)) {
            throw new IllegalArgumentException("--workers " + workers + " is out of range (1-" + ModelOptions.MAX_WORKERS + ")");
        }
        if (model != null) cfg.model(ModelKind.parse(model));
        if (threads != null) cfg.threads(threads);
        if (queue != null) cfg.queue(queue);
        if (selector != null) cfg.selector(SelectorKind.parse(selector));
        if (tcpNopush != null) cfg.tcpNopush(onOff("--tcp-nopush", tcpNopush));
        if (reusePort != null) cfg.listenPerLoop(onOff("--reuseport", reusePort));
        if (workers != null) cfg.workers(workers);
        if (processChild) cfg.model(ModelKind.PROCESS_CHILD);
    }

    private static boolean onOff(String flag, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(flag + " " + value + ": expected on or off");
        };
    }

    /** The site flags given on the command line, applied over a site's options (from defaults or the file). */
    private SiteOptions siteFlags(SiteOptions site) {
        if (maxAge != null && maxAge < 0) throw new IllegalArgumentException("--max-age must be 0 or more seconds");
        List<SiteOptions.HeaderField> fields = new ArrayList<>(site.headers());
        for (String h : headers) {
            try {
                fields.add(SiteOptions.HeaderField.parse(h));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-H '" + FieldSyntax.printable(h) + "': " + e.getMessage());
            }
        }
        return site.with(s -> {
            if (noList) s.listing(false);
            if (spa) s.spa(true);
            if (cors != null) s.cors(cors);
            s.headers(fields);
            if (maxAge != null) s.maxAge(maxAge);
            if (noCompress) s.compression(false);
            if (noCache) s.openFileCache(false);
        });
    }

    /** Applies the timeout and connection flags that were given over what the file or defaults say ({@code t}). */
    private void limitFlags(ServerConfig.Builder cfg, Timeouts t) {
        if (maxConnections != null) cfg.maxConnections(maxConnections);
        if (minWriteRate != null) {
            if (minWriteRate < 0) throw new IllegalArgumentException("--min-write-rate cannot be negative");
            t = t.withMinWriteRate(minWriteRate);
        }
        cfg.timeouts(new Timeouts(
                headerTimeout == null ? t.header() : Durations.parse("--header-timeout", headerTimeout),
                bodyTimeout == null ? t.body() : Durations.parse("--body-timeout", bodyTimeout),
                idleTimeout == null ? t.idle() : Durations.parse("--idle-timeout", idleTimeout),
                writeTimeout == null ? t.write() : Durations.parse("--write-timeout", writeTimeout),
                t.shutdown(), t.minWriteRate()));
    }
}
