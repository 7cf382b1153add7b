package io.tenk.cli;

import io.tenk.TenkServer;
import io.tenk.config.ConfigException;
import io.tenk.config.ServerConfig;
import io.tenk.model.Models;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Options → config → server → wait for a stop signal. Exit codes: 0 after a clean stop or for
 * help/version, 1 when serving failed (e.g. the port is in use), 2 for bad command-line input.
 */
final class Cli {
    static final int OK = 0, FAILED = 1, USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;

    Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        if (args.length == 1 && args[0].equals("models")) {
            out.println("tenk models (choose one with --model NAME):");
            out.print(Models.describe());
            out.flush();
            return OK;
        }
        int tool = ConfigTools.dispatch(args, out, err);
        if (tool >= 0) return tool;
        if (args.length > 0 && args[0].equals("compress")) return compress(java.util.Arrays.copyOfRange(args, 1, args.length));
        ServeCommand opts = new ServeCommand();
        CommandLine cl = new CommandLine(opts);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            return usage(e.getMessage());
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(out);
            return OK;
        }
        if (cl.isVersionHelpRequested()) {
            cl.printVersionHelp(out);
            return OK;
        }
        if (opts.model != null && !Models.exists(opts.model)) {
            err.println("tenk: unknown model: " + oneLine(opts.model) + "; the models are:");
            err.print(Models.describe());
            err.flush();
            return USAGE;
        }
        ServerConfig config;
        try {
            config = opts.toConfig();
        } catch (ConfigException e) {
            err.println("tenk: " + oneLine(e.getMessage()));
            return USAGE;
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (config.model().equals("prefork")) {
            config = config.withKnobs(config.knobs().withWorkerArgs(java.util.List.of(args))); // what its workers run
        }
        return serve(config, opts);
    }

    private int compress(String[] args) {
        CompressCommand opts = new CompressCommand();
        CommandLine cl = new CommandLine(opts);
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            err.println("tenk: " + oneLine(e.getMessage()) + " (see tenk compress --help)");
            return USAGE;
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(out);
            return OK;
        }
        if (cl.isVersionHelpRequested()) {
            cl.printVersionHelp(out);
            return OK;
        }
        return opts.run(out, err, out == System.out && System.console() != null);
    }

    private int usage(String message) {
        err.println("tenk: " + oneLine(message) + " (see tenk --help)");
        return USAGE;
    }

    private int serve(ServerConfig config, ServeCommand opts) {
        TenkServer server;
        try {
            InetAddress.getByName(config.bindHost()); // an unknown name fails here, with a clear message
            server = TenkServer.start(config);
        } catch (BindException e) {
            err.println("tenk: cannot listen on " + hostPort(config) + ": " + bindReason(e));
            return FAILED;
        } catch (UnknownHostException e) {
            err.println("tenk: cannot listen on " + hostPort(config) + ": unknown host");
            return FAILED;
        } catch (SocketException e) {
            err.println("tenk: cannot listen on " + hostPort(config) + ": " + oneLine(e.getMessage()));
            return FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("tenk: cannot start: " + oneLine(e.getMessage()));
            return FAILED;
        }
        Signals.onTerminate(server::stop);
        Signals.onReload(() -> reload(server, opts));
        if (opts.preforkWorker != null) {
            PreforkWorker.announce(out, server);
        } else {
            banner(config, server);
        }
        try {
            server.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return server.failed() ? FAILED : OK; // a thread that could not go on was logged where it failed
    }

    private void banner(ServerConfig config, TenkServer server) {
        String what = config.sites().size() == 1 ? config.root().toString() : config.sites().size() + " sites";
        out.println("tenk: serving " + what + " on "
                + String.join(", ", server.addresses().stream().map(Cli::url).toList())
                + " (model " + server.model().name() + "); Ctrl-C stops");
        out.flush();
    }

    /** SIGHUP: reads the config again (flags still override it); on failure the old one stays. */
    private void reload(TenkServer server, ServeCommand opts) {
        try {
            ServerConfig next = opts.toConfig();
            for (String line : server.reload(next)) err.println("tenk: reload: " + line);
            out.println("tenk: reloaded" + (opts.config == null ? "" : " " + opts.config));
        } catch (RuntimeException e) {
            err.println("tenk: reload failed, keeping the running config: " + oneLine(e.getMessage()));
        }
        out.flush();
        err.flush();
    }

    static String url(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host = ip.getHostAddress();
        if (host.contains(":")) {
            int pct = host.indexOf('%');
            host = "[" + (pct >= 0 ? host.substring(0, pct) : host) + "]";
        }
        return "http://" + host + ":" + a.getPort() + "/";
    }

    private static String hostPort(ServerConfig c) {
        String h = c.bindHost().contains(":") ? "[" + c.bindHost() + "]" : c.bindHost();
        return h + ":" + c.port();
    }

    private static String bindReason(BindException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase();
        if (m.contains("in use")) return "address already in use";
        if (m.contains("assign")) return "address not available on this machine";
        if (m.contains("permission") || m.contains("denied")) return "permission denied";
        return oneLine(e.getMessage());
    }

    static String oneLine(String s) {
        if (s == null || s.isBlank()) return "invalid input";
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    /**
     * The directory to serve when -d is not given: the demo site {@code html/} of a checkout when
     * the working directory is that checkout's root, else the working directory. The checkout is
     * {@code -Dtenk.home} (set by the {@code ./tenk} launcher), or, for {@code java -jar
     * target/tenk.jar}, the folder above the jar's {@code target/} when it holds a {@code pom.xml}.
     */
    static Path defaultRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        Path home = checkout();
        if (home != null && Files.isDirectory(home.resolve("html")) && sameFile(home, cwd)) {
            return home.resolve("html").toAbsolutePath().normalize();
        }
        return cwd;
    }

    private static Path checkout() {
        String home = System.getProperty("tenk.home");
        if (home != null && !home.isBlank()) return Path.of(home);
        try {
            Path jar = Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            if (dir != null && dir.getParent() != null && dir.getFileName().toString().equals("target")
                    && Files.isRegularFile(dir.getParent().resolve("pom.xml"))) {
                return dir.getParent();
            }
        } catch (Exception ignored) {
            // not run from a jar in a checkout
        }
        return null;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
