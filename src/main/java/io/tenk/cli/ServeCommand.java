package io.tenk.cli;

import io.tenk.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/** The options of {@code tenk}, named as in jwebserver and python's http.server. */
@Command(name = "tenk", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Serves a directory over HTTP/1.1: fast, strict and safe.%n"
                + "Without -d it serves the bundled demo site (when run from the repository) or the current directory.",
        footer = {"", "Examples:", "  tenk                      serve on http://127.0.0.1:7890/",
                "  tenk 8080                 serve on port 8080",
                "  tenk -p 0 -d /srv/www     serve /srv/www on a free port",
                "  tenk -b 0.0.0.0 -p 8080   serve the network (not only this machine)",
                "  tenk --model virtual      a virtual thread per connection",
                "  tenk models               list the concurrency models"})
final class ServeCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PORT", description = "Port to listen on (same as -p).")
    Integer positionalPort;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (default: " + ServerConfig.DEFAULT_PORT + ").")
    Integer port;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS",
            description = "Address to listen on (default: " + ServerConfig.DEFAULT_BIND + "; 0.0.0.0 or :: serves the network).")
    String bind = ServerConfig.DEFAULT_BIND;

    @Option(names = {"-d", "--directory"}, paramLabel = "DIR", description = "Directory to serve.")
    Path directory;

    @Option(names = {"-q", "--quiet"}, description = "No access log on stdout.")
    boolean quiet;

    @Option(names = "--debug", description = "Print stack traces with error messages.")
    boolean debug;

    @Option(names = "--model", paramLabel = "NAME",
            description = "Concurrency model (default: " + ServerConfig.DEFAULT_MODEL + "); `tenk models` lists them.")
    String model = ServerConfig.DEFAULT_MODEL;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads of pool (default 4 x cores) or event loops of reactor (default: cores).")
    Integer threads;

    @Option(names = "--queue", paramLabel = "N",
            description = "Connections pool may queue for a thread; beyond, 503 (default: " + ServerConfig.DEFAULT_QUEUE + ").")
    Integer queue;

    @Option(names = "--selector", paramLabel = "KIND",
            description = "Selector of selector and reactor: epoll or poll (default: " + ServerConfig.DEFAULT_SELECTOR + ").")
    String selector = ServerConfig.DEFAULT_SELECTOR;

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
        if (bind == null || bind.isBlank()) throw new IllegalArgumentException("empty bind address");
        String host = bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
        if (threads != null && (threads < 1 || threads > 10_000)) {
            throw new IllegalArgumentException("--threads " + threads + " is out of range (1-10000)");
        }
        if (queue != null && (queue < 0 || queue > 1_000_000)) {
            throw new IllegalArgumentException("--queue " + queue + " is out of range (0-1000000)");
        }
        if (!selector.equals("epoll") && !selector.equals("poll")) {
            throw new IllegalArgumentException("unknown selector: " + selector + " (epoll or poll)");
        }
        ServerConfig config = ServerConfig.defaults(root.toAbsolutePath().normalize())
                .withPort(p).withBindHost(host).withAccessLog(!quiet).withDebug(debug)
                .withModel(model).withSelectorKind(selector);
        if (threads != null) config = config.withThreads(threads);
        if (queue != null) config = config.withQueue(queue);
        return config;
    }
}
