package io.tenk.cli;

import io.tenk.config.ServerConfig;
import io.tenk.config.Timeouts;
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
                "  tenk -b 0.0.0.0 -p 8080   serve the network (not only this machine)"})
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

    @Option(names = "--header-timeout", paramLabel = "TIME",
            description = "Time to send a request head (slowloris guard), then 408 and close (default: ${DEFAULT-VALUE}).")
    String headerTimeout = Durations.format(ServerConfig.DEFAULT_TIMEOUTS.header());

    @Option(names = "--body-timeout", paramLabel = "TIME",
            description = "A request body that makes no progress this long is abandoned (default: ${DEFAULT-VALUE}).")
    String bodyTimeout = Durations.format(ServerConfig.DEFAULT_TIMEOUTS.body());

    @Option(names = "--idle-timeout", paramLabel = "TIME",
            description = "A kept-alive connection with no request is closed after this long (default: ${DEFAULT-VALUE}).")
    String idleTimeout = Durations.format(ServerConfig.DEFAULT_TIMEOUTS.idle());

    @Option(names = "--write-timeout", paramLabel = "TIME",
            description = "A response the client does not read for this long is abandoned (default: ${DEFAULT-VALUE}).")
    String writeTimeout = Durations.format(ServerConfig.DEFAULT_TIMEOUTS.write());

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Connections served at once; more get 503 and are closed (default: from the descriptor limit, here ${DEFAULT-VALUE}).")
    int maxConnections = ServerConfig.defaultMaxConnections();

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
        if (maxConnections < 1) throw new IllegalArgumentException("--max-connections must be at least 1");
        var d = ServerConfig.DEFAULT_TIMEOUTS;
        Timeouts timeouts = new Timeouts(Durations.parse("--header-timeout", headerTimeout),
                Durations.parse("--body-timeout", bodyTimeout), Durations.parse("--idle-timeout", idleTimeout),
                Durations.parse("--write-timeout", writeTimeout), d.shutdown());
        return ServerConfig.defaults(root.toAbsolutePath().normalize())
                .withPort(p).withBindHost(host).withAccessLog(!quiet).withDebug(debug)
                .withTimeouts(timeouts).withMaxConnections(maxConnections);
    }
}
