package io.tenk.cli;

import io.tenk.TenkServer;
import io.tenk.config.ConfigException;
import io.tenk.config.Listen;
import io.tenk.config.ModelKind;
import io.tenk.config.ServerConfig;
import io.tenk.model.Models;
import io.tenk.observe.AccessLog;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The command line, parsed by picocli into one command: serving (the default: options → config →
 * server → wait for a stop signal) or a tool (compress, check, rules test, models). Exit codes: 0
 * after a clean stop (SIGTERM, or Ctrl-C once and the responses in flight finished) or for
 * help/version, 1 when serving failed (e.g. the port is in use), 2 for bad command-line input,
 * 130 when a second Ctrl-C stopped it at once.
 */
final class Cli {
    static final int OK = 0, FAILED = 1, USAGE = 2, INTERRUPTED = 130;

    /** The commands, each a picocli command; {@link Cli} runs the one parsed. */
    sealed interface Command permits ServeCommand, CompressCommand, ConfigTools.Check, ConfigTools.Rules,
            ConfigTools.RulesTest, ModelsCommand, CaCommand {}

    private final PrintStream out;
    private final PrintStream err;

    Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        try {
            // picocli builds a command from its annotations by reflection, some 100 ms at start per
            // command: serving builds only its own unless an argument names another or asks for help
            CommandLine cl = servesOnly(args) ? new ServeCommand().commandLine() : commands();
            ParseResult parsed = parse(cl, args);
            if (parsed.isUsageHelpRequested() && !parsed.hasSubcommand() && cl.getSubcommands().isEmpty()) {
                cl = commands(); // the help lists the commands: it needs them all
                parsed = parse(cl, args);
            }
            if (CommandLine.printHelpIfRequested(parsed)) return OK;
            if (parsed.hasSubcommand() && !parsed.matchedArgs().isEmpty()) {
                throw new ParameterException(cl, "'" + parsed.subcommand().commandSpec().name() + "' cannot follow server options");
            }
            CommandLine leaf = parsed.asCommandLineList().getLast();
            Command command = leaf.getCommand();
            // serving, the usual case, before the pattern switch: its bootstrap costs a start ~10 ms
            if (command instanceof ServeCommand opts) return serve(opts, leaf, args);
            return switch (command) {
                case ServeCommand opts -> serve(opts, leaf, args);
                case CompressCommand c -> c.run(out, err, out == System.out && System.console() != null);
                case ConfigTools.Check c -> c.run(out);
                case ConfigTools.Rules _ -> throw new ParameterException(leaf, ConfigTools.RULES_USAGE);
                case ConfigTools.RulesTest t -> t.run(out);
                case ModelsCommand m -> m.run(out);
                case CaCommand c -> c.run(out, err, System.getenv());
            };
        } catch (ParameterException e) {
            return usage(e);
        } catch (ConfigException e) {
            err.println("tenk: " + oneLine(e.getMessage())); // file:line: key: problem
            return USAGE;
        }
    }

    /** The commands beside serving, as {@link #commands()} names them (CliTest checks they agree). */
    static final java.util.Set<String> COMMAND_NAMES = java.util.Set.of("serve", "compress", "check", "rules", "models", "ca");

    /** Whether {@code args} can only mean serving: no argument is a command's name. */
    static boolean servesOnly(String[] args) {
        for (String a : args) {
            if (COMMAND_NAMES.contains(a)) return false;
        }
        return true;
    }

    private ParseResult parse(CommandLine cl, String[] args) {
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.parseArgs(args);
    }

    /**
     * {@code tenk} serves when no command is named ({@code tenk 8080}, {@code tenk -p 0 -d DIR});
     * {@code tenk serve} is the same command by name.
     */
    static CommandLine commands() {
        CommandLine cl = new ServeCommand().commandLine()
                .addSubcommand(new ServeCommand().commandLine().setCommandName("serve"))
                .addSubcommand(new CompressCommand())
                .addSubcommand(new ConfigTools.Check())
                .addSubcommand(new ConfigTools.Rules())
                .addSubcommand(new ModelsCommand())
                .addSubcommand(new CaCommand());
        cl.setAllowSubcommandsAsOptionParameters(true); // tenk -d check serves the folder check
        return cl;
    }

    /** Bad command-line input: one line naming the problem and the help to read, exit code 2. */
    private int usage(ParameterException e) {
        String message = e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                ? (u.isUnknownOption() ? "unknown option " : "unexpected argument ") + u.getUnmatched().getFirst()
                : e.getMessage();
        err.println("tenk: " + oneLine(message) + " (see " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return USAGE;
    }

    /** Validates the options and serves until stopped; {@code args} are what prefork workers and process children run. */
    private int serve(ServeCommand opts, CommandLine cl, String[] args) {
        if (opts.model != null && ModelKind.find(opts.model).isEmpty()) {
            err.println("tenk: unknown model: " + oneLine(opts.model) + "; the models are:");
            err.print(Models.describe());
            err.flush();
            return USAGE;
        }
        ServerConfig config;
        try {
            config = opts.toConfig();
        } catch (ConfigException e) {
            throw e; // a problem of the file, not of the command line
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        String unavailable = Models.unavailable(config.model());
        if (unavailable != null) {
            err.println("tenk: " + oneLine(unavailable));
            err.flush();
            return USAGE;
        }
        if (opts.processChild) return ProcessChild.serve(config, err);
        if (config.model() == ModelKind.PREFORK || config.model() == ModelKind.PROCESS) {
            config = config.with(b -> b.workerArgs(List.of(args))); // what its workers run
        }
        return serve(config, opts);
    }

    private int serve(ServerConfig config, ServeCommand opts) {
        // this process is the command line's: its heap is ours to keep small; asked before the
        // server accepts anything (see HeapTrim.start)
        AtomicReference<TenkServer> started = new AtomicReference<>();
        try (HeapTrim ignored = HeapTrim.start(() -> {
            TenkServer s = started.get();
            return s == null ? 0 : s.connectionsOpen();
        })) {
            return startAndServe(config, opts, started);
        }
    }

    private int startAndServe(ServerConfig config, ServeCommand opts, AtomicReference<TenkServer> started) {
        TenkServer server;
        try {
            for (Listen l : config.listen()) InetAddress.getByName(l.host()); // an unknown name fails here, with a clear message
            server = TenkServer.start(config);
            started.set(server);
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
        Signals.onReload(() -> reload(server, opts));
        Signals.onReopen(server::reopenLogs);
        if (opts.preforkWorker != null) {
            Signals.onTerminate(server::stop);
            Signals.onInterrupt(server::stop); // the master tells the terminal
            Models.announcePreforkWorker(out, server::flushAccessLog, server::metricsText, server::writeBesideAccessLog, server::stop);
            awaitQuietly(server);
            return server.failed() ? FAILED : OK; // a thread that could not go on was logged where it failed
        }
        // with JSON access lines, stdout holds nothing else
        PrintStream status = config.logFormat() == AccessLog.Format.JSON ? err : out;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        AtomicInteger interrupts = new AtomicInteger();
        Signals.onTerminate(server::stop);
        Signals.onInterrupt(() -> {
            if (interrupts.incrementAndGet() == 1) {
                int n = server.responsesInFlight();
                status.println("tenk: stopping" + (n == 0 ? "" : ": " + n + (n == 1 ? " response" : " responses") + " in flight")
                        + "; Ctrl-C again to stop now");
                status.flush();
                server.stop();
            } else {
                server.stopNow();
                done.complete(INTERRUPTED);
            }
        });
        List<InetSocketAddress> bound = bound(config, server);
        Urls urls = Urls.of(bound).withHttps(TlsOptions.httpsPorts(config, bound));
        banner(config, server, bound, urls, status);
        if (opts.open) Browser.open(urls.all().getFirst(), err);
        if (opts.warmUp > 0) WarmUp.thenStop(bound.getFirst(), opts.warmUp, server::stop, err);
        Thread.ofPlatform().daemon().name("tenk-await-stop").start(() -> {
            awaitQuietly(server);
            done.complete(OK);
        });
        int code = done.join();
        status.println(code == OK ? "tenk: stopped" : "tenk: stopped now (responses in flight were cut short)");
        status.flush();
        return code == OK && server.failed() ? FAILED : code; // a thread that could not go on was logged where it failed
    }

    private static void awaitQuietly(TenkServer server) {
        try {
            server.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The start line: what is served, where, and anything not default; for a wildcard address,
     * the URLs to open under it ("Local:", then "Network:").
     */
    private static void banner(ServerConfig config, TenkServer server, List<InetSocketAddress> bound, Urls urls, PrintStream to) {
        String what = config.sites().size() == 1 ? config.root().toString() : config.sites().size() + " sites";
        List<String> notes = new ArrayList<>();
        if (!server.model().name().equals(ServerConfig.DEFAULT_MODEL.id())) notes.add("model " + server.model().name());
        if (config.liveReload()) notes.add("pages reload on changes");
        InetSocketAddress admin = server.adminAddress();
        if (admin != null) notes.add("admin on " + Urls.of(List.of(admin)).all().getFirst());
        String tail = (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")") + "; Ctrl-C stops";
        if (!Urls.anyWildcard(bound)) {
            to.println("tenk: serving " + what + " on " + String.join(", ", urls.all()) + tail);
        } else {
            to.println("tenk: serving " + what + tail);
            labelled(to, "Local:  ", urls.local());
            labelled(to, "Network:", urls.network());
        }
        to.flush();
    }

    /**
     * The addresses as configured, with the ports bound: a socket bound to 0.0.0.0 reports
     * itself as {@code ::} on a dual-stack JVM, which would list IPv6 URLs it does not serve.
     */
    private static List<InetSocketAddress> bound(ServerConfig config, TenkServer server) {
        List<InetSocketAddress> actual = server.addresses();
        List<InetSocketAddress> as = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            InetSocketAddress a = actual.get(i);
            try {
                as.add(new InetSocketAddress(InetAddress.getByName(config.listen().get(i).host()), a.getPort()));
            } catch (UnknownHostException | IndexOutOfBoundsException e) {
                as.add(a);
            }
        }
        return as;
    }

    private static void labelled(PrintStream to, String label, List<String> urls) {
        for (int i = 0; i < urls.size(); i++) to.println("  " + (i == 0 ? label : " ".repeat(label.length())) + " " + urls.get(i));
    }

    /** SIGHUP: reads the config again (flags still override it); on failure the old one stays. */
    private void reload(TenkServer server, ServeCommand opts) {
        try {
            ServerConfig next = opts.toConfig();
            for (String line : server.reload(next)) err.println("tenk: reload: " + line);
            out.println("tenk: reloaded" + (opts.config == null ? "" : " " + opts.config));
        } catch (RuntimeException e) {
            server.reloadFailed();
            err.println("tenk: reload failed, keeping the running config: " + oneLine(e.getMessage()));
        }
        out.flush();
        err.flush();
    }

    private static String hostPort(ServerConfig c) {
        return String.join(", ", c.listen().stream().map(Listen::toString).toList());
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
