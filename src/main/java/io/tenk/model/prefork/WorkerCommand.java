package io.tenk.model.prefork;

import io.tenk.config.Listen;
import io.tenk.config.ModelKind;
import io.tenk.config.ServerConfig;
import io.tenk.handler.SiteOptions;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@code prefork} worker: this JVM's java, its memory and module options,
 * its class path, and the master's own arguments plus {@code --prefork-worker PORT}, which makes
 * the worker run the reactor on the shared port (SO_REUSEPORT) and exit when its stdin closes.
 * A worker thus reads the same config file as the master did, and reads it afresh when the
 * master replaces it (SIGHUP). A program that embeds tenk, whose class path and options are its
 * own, names what its children start from in {@value #CHILD_JAR} and {@value #CHILD_OPTIONS}.
 */
public final class WorkerCommand {
    /** The class {@code tenk} starts from: what follows it in a command line are tenk's arguments. */
    public static final String MAIN_CLASS = "io.tenk.cli.Main";
    /** The hidden option that turns {@code tenk} into a worker on the given port. */
    public static final String WORKER_FLAG = "--prefork-worker";
    /** The line a worker prints on stdout once it listens; the master waits for it. */
    public static final String READY = "tenk-worker-ready";
    /** The line the master writes to a worker's stdin to have it write out its buffered access lines. */
    public static final String FLUSH = "flush";
    /** The line a worker prints on stdout once it has written out every access line logged before a {@link #FLUSH}. */
    public static final String FLUSHED = "tenk-worker-flushed";
    /** The line the master writes to a worker's stdin to read its metrics. */
    public static final String METRICS = "metrics";
    /** What starts each line of a worker's metrics text on its stdout (access lines never start so). */
    public static final String METRICS_LINE = "tenk-worker-metrics ";
    /** The line a worker prints after its metrics text. */
    public static final String METRICS_END = "tenk-worker-metrics-end";
    /**
     * System property: the jar children start from ({@code java -jar JAR}) in place of this JVM's
     * class path; for a program that embeds tenk, whose class path is its own.
     */
    public static final String CHILD_JAR = "tenk.child.jar";
    /**
     * System property: the JVM options children start with (separated by white space) in place of
     * this JVM's; for a program that embeds tenk, whose heap, agents and flags are its own.
     */
    public static final String CHILD_OPTIONS = "tenk.child.options";

    private WorkerCommand() {}

    /** The worker's full command for {@code port}. */
    public static List<String> forPort(List<String> serverArgs, int port) {
        List<String> cmd = tenk(serverArgs);
        cmd.addAll(List.of(WORKER_FLAG, Integer.toString(port)));
        return cmd;
    }

    /**
     * {@code tenk SERVER-ARGS} run by this JVM's java with its options (less a debugger or
     * recorder), the exports the jar's manifest grants, and its class path: how a process of
     * tenk's starts another ({@link #launch()}).
     */
    public static List<String> tenk(List<String> serverArgs) {
        return launch().command(serverArgs);
    }

    /**
     * How a child JVM of tenk's starts: {@code java}, its JVM {@code options}, then what it runs
     * ({@code -jar JAR}, or {@code -cp PATH io.tenk.cli.Main}); tenk's arguments follow.
     */
    public record Launch(String java, List<String> options, List<String> start) {
        public Launch {
            options = List.copyOf(options);
            start = List.copyOf(start);
        }

        /** The whole command for tenk's arguments {@code serverArgs}. */
        public List<String> command(List<String> serverArgs) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(options);
            cmd.addAll(start);
            cmd.addAll(serverArgs);
            return cmd;
        }
    }

    /**
     * How this JVM starts its children: with {@value #CHILD_OPTIONS} and {@value #CHILD_JAR} where
     * set, else with this JVM's options and, as this process was started, {@code -jar} or its
     * class path.
     */
    public static Launch launch() {
        return launch(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"),
                System.getProperty("sun.java.command", ""), System.getProperty(CHILD_JAR), System.getProperty(CHILD_OPTIONS));
    }

    /**
     * The launch for a JVM run by {@code java} with {@code inputArgs}, {@code classPath} and
     * {@code sun.java.command} {@code command}, given the values of {@value #CHILD_JAR} and
     * {@value #CHILD_OPTIONS} (null or blank: not set).
     */
    static Launch launch(String java, List<String> inputArgs, String classPath, String command, String childJar, String childOptions) {
        List<String> options = new ArrayList<>();
        if (childOptions != null && !childOptions.isBlank()) {
            options.addAll(List.of(childOptions.strip().split("\\s+")));
        } else {
            for (String a : inputArgs) {
                // a debugger or recorder of the master must not be started again in every worker
                if (a.startsWith("-agentlib:") || a.startsWith("-javaagent:") || a.startsWith("-XX:StartFlightRecording")) continue;
                options.add(a);
            }
        }
        if (childJar != null && !childJar.isBlank()) return new Launch(java, options, List.of("-jar", childJar));
        if (startedFromJar(classPath, command)) {
            // as this process was: the manifest grants the exports, and the command line then
            // matches the one the ahead-of-time cache was recorded with, so the child maps it
            // (shared with this process) instead of loading every class again
            return new Launch(java, options, List.of("-jar", classPath));
        }
        // what the jar's manifest grants, for children started with -cp
        if (!options.contains("--add-exports")) options.addAll(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED"));
        if (!options.contains("--enable-native-access=ALL-UNNAMED")) options.add("--enable-native-access=ALL-UNNAMED");
        return new Launch(java, options, List.of("-cp", classPath, MAIN_CLASS));
    }

    /**
     * Whether a JVM with this class path and {@code sun.java.command} was started with
     * {@code java -jar}: its class path is that one jar, and its command starts with it.
     */
    static boolean startedFromJar(String classPath, String command) {
        return classPath != null && classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
                && (command.equals(classPath) || command.startsWith(classPath + " "));
    }

    /**
     * Arguments equivalent to a configuration built in code (no command line to copy): one site
     * served on {@code address}, and the settings that have flags. A config with several sites or
     * with rules comes from a file: start such a server with {@code tenk --model prefork --config FILE}
     * (or {@code process}).
     */
    public static List<String> argsFor(ServerConfig c, Listen address) {
        if (c.sites().size() > 1 || !c.defaultSite().rules().isEmpty()) {
            throw new IllegalArgumentException(c.model() + " started from code serves one site without rules;"
                    + " for sites and rules run: tenk --model " + c.model() + " --config FILE");
        }
        List<String> a = new ArrayList<>(List.of("-d", c.root().toString(), "-b", address.host(), "-p", Integer.toString(address.port()),
                "--model", c.model().id(),
                "--header-timeout", c.timeouts().header().toMillis() + "ms",
                "--body-timeout", c.timeouts().body().toMillis() + "ms",
                "--idle-timeout", c.timeouts().idle().toMillis() + "ms",
                "--write-timeout", c.timeouts().write().toMillis() + "ms",
                "--min-write-rate", Long.toString(c.timeouts().minWriteRate()),
                "--max-connections", Integer.toString(c.maxConnections())));
        if (!c.accessLog()) a.add("-q");
        if (c.debug()) a.add("--debug");
        SiteOptions s = c.site();
        if (!s.listing()) a.add("--no-list");
        if (s.spa()) a.add("--spa");
        if (s.corsOrigin() != null) a.addAll(List.of("--cors", s.corsOrigin()));
        for (SiteOptions.HeaderField h : s.headers()) a.addAll(List.of("-H", h.name() + ": " + h.value()));
        if (s.maxAgeSeconds() >= 0) a.addAll(List.of("--max-age", Long.toString(s.maxAgeSeconds())));
        if (!s.compression()) a.add("--no-compress");
        if (!s.openFileCache()) a.add("--no-cache");
        return a;
    }
}
