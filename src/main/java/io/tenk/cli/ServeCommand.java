package io.tenk.cli;

import io.tenk.config.ConfigFile;
import io.tenk.config.ModelOptions;
import io.tenk.config.ServerConfig;
import io.tenk.handler.SiteOptions;
import io.tenk.http.FieldSyntax;
import io.tenk.config.Timeouts;
import io.tenk.model.Models;
import io.tenk.model.prefork.WorkerCommand;
import io.tenk.observe.AccessLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options of {@code tenk} and {@code tenk serve}, named as in jwebserver and python's http.server. */
@Command(name = "tenk", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Serves a directory over HTTP/1.1: fast, strict and safe.",
                "Without -d it serves the bundled demo site (when run from the repository) or the current directory."},
        footer = {"", "Examples:",
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
                "  tenk compress DIR         precompress DIR's text files",
                "                            (.gz, .br, .zst beside each)",
                "  tenk --model virtual      a virtual thread per connection",
                "  tenk models               list the concurrency models",
                "  tenk COMMAND --help       the options of serve, compress, check,",
                "                            rules test or models"})
final class ServeCommand implements Cli.Command {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PORT", description = "Port to listen on (same as -p).")
    Integer positionalPort;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (default: " + ServerConfig.DEFAULT_PORT + ").")
    Integer port;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS",
            description = "Address to listen on (default: " + ServerConfig.DEFAULT_BIND + "; 0.0.0.0 or :: serves the network).")
    String bind;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Config file (TOML): listen addresses, sites, rules; flags given here override it.")
    Path config;

    @Option(names = {"-d", "--directory"}, paramLabel = "DIR", description = "Directory to serve.")
    Path directory;

    @Option(names = {"-q", "--quiet"}, description = "No access log on stdout.")
    boolean quiet;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "Access-log lines: combined (default) or json (one JSON object per line; the start and stop lines go to stderr).")
    String logFormat;

    @Option(names = "--watch",
            description = "Development: pages reload by themselves when a file under the root changes"
                    + " (a script is injected into HTML; caches and compression off). Not with --model prefork.")
    boolean watch;

    @Option(names = "--open", description = "Open the site in a browser once serving ($BROWSER, else xdg-open or open).")
    boolean open;

    @Option(names = "--debug", description = "Print stack traces with error messages.")
    boolean debug;

    @Option(names = "--model", paramLabel = "NAME",
            description = "Concurrency model (default: " + ServerConfig.DEFAULT_MODEL + "); `tenk models` lists them.")
    String model;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads of pool (default 4 x cores) or event loops of reactor (default: cores).")
    Integer threads;

    @Option(names = "--queue", paramLabel = "N",
            description = "Connections pool may queue for a thread; beyond, 503 (default: " + ServerConfig.DEFAULT_QUEUE + ").")
    Integer queue;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker processes of prefork (default: cores).")
    Integer workers;

    /** Set by a prefork master for its workers: run the reactor on this shared port. */
    @Option(names = WorkerCommand.WORKER_FLAG, hidden = true, paramLabel = "PORT")
    Integer preforkWorker;

    @Option(names = "--selector", paramLabel = "KIND",
            description = "Event mechanism of selector and reactor: epoll, poll, select, native-poll, epoll-lt, epoll-et or"
                    + " epoll-oneshot (default: " + ServerConfig.DEFAULT_SELECTOR + ").")
    String selector;

    @Option(names = "--no-list", description = "No directory listings (a directory without an index file answers 404).")
    boolean noList;

    @Option(names = "--spa", description = "Single-page app: a missing path without a file extension (/users/42) gets /index.html; a missing /app.js stays 404.")
    boolean spa;

    @Option(names = "--cors", arity = "0..1", fallbackValue = "*", paramLabel = "ORIGIN",
            description = "Allow cross-origin requests from ORIGIN (default when given without a value: any, '*').")
    String cors;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "Add a header to every response (repeatable), e.g. -H 'Cross-Origin-Opener-Policy: same-origin'.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--max-age", paramLabel = "SECONDS",
            description = "Cache-Control max-age for files other than HTML (default: " + ServerConfig.DEFAULT_MAX_AGE
                    + ", i.e. no-cache: browsers revalidate each time). HTML always revalidates.")
    Long maxAge;

    @Option(names = "--no-compress", description = "No compression: neither precompressed siblings nor gzip on the fly.")
    boolean noCompress;

    @Option(names = "--no-cache", description = "No open-file cache (stat and open on every request).")
    boolean noCache;

    @Option(names = "--header-timeout", paramLabel = "TIME",
            description = "Time to send a request head (slowloris guard), then 408 and close (default: 10s).")
    String headerTimeout;

    @Option(names = "--body-timeout", paramLabel = "TIME",
            description = "A request body that makes no progress this long is abandoned (default: 10s).")
    String bodyTimeout;

    @Option(names = "--idle-timeout", paramLabel = "TIME",
            description = "A kept-alive connection with no request is closed after this long (default: 15s).")
    String idleTimeout;

    @Option(names = "--write-timeout", paramLabel = "TIME",
            description = "A response the client does not read for this long is abandoned (default: 30s).")
    String writeTimeout;

    @Option(names = "--min-write-rate", paramLabel = "BYTES",
            description = "Bytes per second a response must average: one of N bytes is closed unless written within"
                    + " the write timeout plus N divided by this; 0 for no bound (default: 4096).")
    Long minWriteRate;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Connections served at once; more get 503 and are closed (default: the soft ulimit -n less an eighth (at least 64) kept for files, at least 16).")
    Integer maxConnections;

    /** Validates the options and builds the configuration; IllegalArgumentException carries a user-facing message. */
    ServerConfig toConfig() {
        if (port != null && positionalPort != null && !port.equals(positionalPort)) {
            throw new IllegalArgumentException("two different ports given: " + positionalPort + " and -p " + port);
        }
        int p = port != null ? port : positionalPort != null ? positionalPort : ServerConfig.DEFAULT_PORT;
        if (p < 0 || p > 65535) throw new IllegalArgumentException("port " + p + " is out of range (0-65535)");
        Path root = directory != null ? directory : Cli.defaultRoot();
        if (!Files.exists(root)) throw new IllegalArgumentException("directory " + root + " does not exist");
        if (!Files.isDirectory(root)) throw new IllegalArgumentException(root + " is not a directory");
        if (!Files.isReadable(root)) throw new IllegalArgumentException("directory " + root + " is not readable");
        if (bind != null && bind.isBlank()) throw new IllegalArgumentException("empty bind address");
        ServerConfig base = ServerConfig.defaults(root.toAbsolutePath().normalize());
        ServerConfig cfg = base;
        if (config != null) {
            cfg = ConfigFile.load(config, base, Models::exists); // ConfigException: file:line: key: problem
            if (directory != null && !cfg.sites().equals(base.sites())) {
                throw new IllegalArgumentException("-d cannot be combined with a config file that has [[site]] tables (set root there)");
            }
        }
        // flags given on the command line override the file
        if (bind != null) {
            cfg = cfg.withBindHost(bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind);
        }
        if (port != null || positionalPort != null || config == null) cfg = cfg.withPort(p);
        if (quiet) cfg = cfg.withAccessLog(false);
        if (logFormat != null) {
            AccessLog.Format f = ConfigFile.logFormat(logFormat);
            if (f == null) throw new IllegalArgumentException("unknown log format: " + logFormat + " (combined or json)");
            cfg = cfg.withLogFormat(f);
        }
        if (debug) cfg = cfg.withDebug(true);
        return withModelFlags(withLimitFlags(cfg)).withSiteOptions(this::siteFlags);
    }

    /** The model and its knobs, when given, over what the file or defaults say. */
    private ServerConfig withModelFlags(ServerConfig cfg) {
        if (threads != null && (threads < 1 || threads > 10_000)) {
            throw new IllegalArgumentException("--threads " + threads + " is out of range (1-10000)");
        }
        if (queue != null && (queue < 0 || queue > 1_000_000)) {
            throw new IllegalArgumentException("--queue " + queue + " is out of range (0-1000000)");
        }
        if (selector != null && !ModelOptions.SELECTORS.contains(selector)) {
            throw new IllegalArgumentException("unknown selector: " + selector + " (" + String.join(", ", ModelOptions.SELECTORS) + ")");
        }
        if (model != null) cfg = cfg.withModel(model);
        if (threads != null) cfg = cfg.withThreads(threads);
        if (queue != null) cfg = cfg.withQueue(queue);
        if (selector != null) cfg = cfg.withSelectorKind(selector);
        if (workers != null) {
            if (workers < 1 || workers > 256) throw new IllegalArgumentException("--workers " + workers + " is out of range (1-256)");
            cfg = cfg.withWorkers(workers);
        }
        if (preforkWorker != null) cfg = cfg.asPreforkWorker(preforkWorker);
        if (watch) {
            if (cfg.model().equals("prefork")) {
                throw new IllegalArgumentException("--watch is for development and cannot run with --model prefork");
            }
            cfg = cfg.withLiveReload(true);
        }
        return cfg;
    }

    /** The site flags given on the command line, applied over a site's options (from defaults or the file). */
    private SiteOptions siteFlags(SiteOptions site) {
        if (maxAge != null && maxAge < 0) throw new IllegalArgumentException("--max-age must be 0 or more seconds");
        SiteOptions s = site;
        if (noList) s = s.withListing(false);
        if (spa) s = s.withSpa(true);
        if (cors != null) s = s.withCors(cors);
        if (!headers.isEmpty()) {
            List<SiteOptions.HeaderField> fields = new ArrayList<>(s.headers());
            for (String h : headers) {
                try {
                    fields.add(SiteOptions.HeaderField.parse(h));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("-H '" + FieldSyntax.printable(h) + "': " + e.getMessage());
                }
            }
            s = s.withHeaders(fields);
        }
        if (maxAge != null) s = s.withMaxAge(maxAge);
        if (noCompress) s = s.withCompression(false);
        if (noCache) s = s.withOpenFileCache(false);
        return s;
    }

    /** Applies the timeout and connection flags that were given over what the file or defaults say. */
    private ServerConfig withLimitFlags(ServerConfig cfg) {
        if (maxConnections != null) {
            if (maxConnections < 1) throw new IllegalArgumentException("--max-connections must be at least 1");
            cfg = cfg.withMaxConnections(maxConnections);
        }
        Timeouts t = cfg.timeouts();
        if (minWriteRate != null) {
            if (minWriteRate < 0) throw new IllegalArgumentException("--min-write-rate cannot be negative");
            t = t.withMinWriteRate(minWriteRate);
            cfg = cfg.withTimeouts(t);
        }
        if (headerTimeout == null && bodyTimeout == null && idleTimeout == null && writeTimeout == null) return cfg;
        return cfg.withTimeouts(new Timeouts(
                headerTimeout == null ? t.header() : Durations.parse("--header-timeout", headerTimeout),
                bodyTimeout == null ? t.body() : Durations.parse("--body-timeout", bodyTimeout),
                idleTimeout == null ? t.idle() : Durations.parse("--idle-timeout", idleTimeout),
                writeTimeout == null ? t.write() : Durations.parse("--write-timeout", writeTimeout),
                t.shutdown(), t.minWriteRate()));
    }
}
