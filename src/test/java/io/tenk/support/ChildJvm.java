package io.tenk.support;

import io.tenk.model.prefork.WorkerCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How tests start tenk in a JVM of its own: as {@code ./tenk} does, from the packaged jar with the
 * launcher's JVM options ({@code scripts/jvm-options}) and its ahead-of-time cache
 * ({@code target/tenk.aot}), so each child maps the classes the cache holds instead of loading
 * and verifying them one by one from the test class path (which no cache can hold): a third less
 * CPU from start to first response; plus the quick compiler only, for JVMs that serve a few
 * requests. The first use runs {@code ./tenk --version} beside the tests, which records the cache
 * when it is missing or older than the jar; children started before it is written run without it
 * (the JVM then ignores the option, silently). The suite runs after {@code package}; when the jar
 * is missing or older than the sources (a test run without it), children start from the test
 * class path instead. Prefork's workers and process children of servers run inside the test JVM
 * start the same way ({@link #configureChildren()}).
 */
public final class ChildJvm {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final Path JAR = REPO.resolve("target/tenk.jar");
    private static final Path CACHE = REPO.resolve("target/tenk.aot");
    /** For JVMs that live for a few requests: C1 only. */
    private static final List<String> SHORT_LIVED = List.of("-XX:TieredStopAtLevel=1");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The options of a jar start (with the cache), or null when children start from the class path. */
    private static final List<String> JAR_OPTIONS = jarOptions();

    private ChildJvm() {}

    /**
     * The command that runs tenk with the extra JVM options {@code jvm}, up to tenk's arguments:
     * {@code java OPTIONS JVM -jar target/tenk.jar}, or {@code java ... -cp CLASSPATH io.tenk.cli.Main}.
     */
    public static List<String> command(List<String> jvm) {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        if (JAR_OPTIONS != null) {
            cmd.addAll(JAR_OPTIONS);
            cmd.addAll(jvm);
            cmd.addAll(List.of("-jar", JAR.toString()));
        } else {
            cmd.add("-Xmx96m");
            cmd.addAll(SHORT_LIVED);
            cmd.addAll(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
            cmd.addAll(jvm);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerCommand.MAIN_CLASS));
        }
        return cmd;
    }

    /** {@link #command(List)} as one line for {@code bash -c}, each word single-quoted. */
    public static String shellCommand(List<String> jvm) {
        return String.join(" ", command(jvm).stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
    }

    /**
     * Has the children of servers run in this JVM (prefork's workers, process children) start as
     * {@link #command(List)} does, through {@link WorkerCommand#CHILD_JAR} and
     * {@link WorkerCommand#CHILD_OPTIONS}; nothing when children start from the class path.
     */
    public static void configureChildren() {
        if (JAR_OPTIONS == null) return;
        System.setProperty(WorkerCommand.CHILD_JAR, JAR.toString());
        System.setProperty(WorkerCommand.CHILD_OPTIONS, String.join(" ", JAR_OPTIONS));
    }

    private static List<String> jarOptions() {
        try {
            if (!upToDate()) return null;
            // a cache older than the jar is for a build before it, and the JVM takes it anyway
            // (JDK 25 did not notice a rebuilt jar here): children would run the
            // old build's classes until ./tenk has recorded the new cache. Without it they start
            // from the jar, and use the new cache once it is there.
            if (Files.isRegularFile(CACHE) && Files.getLastModifiedTime(CACHE).compareTo(Files.getLastModifiedTime(JAR)) < 0) {
                Files.deleteIfExists(CACHE);
            }
            recordCache();
            List<String> options = new ArrayList<>(List.of(Files.readString(REPO.resolve("scripts/jvm-options")).strip().split("\\s+")));
            options.addAll(SHORT_LIVED);
            options.addAll(List.of("-XX:AOTCache=" + CACHE, "-Xlog:aot=off"));
            return List.copyOf(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code ./tenk --version}, which records the cache for this jar if it has none yet, beside
     * the tests; its training run is stopped if still running when this JVM exits.
     */
    private static void recordCache() throws IOException {
        Path launcher = REPO.resolve("tenk");
        if (!Files.isExecutable(launcher)) return;
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("TENK_JVM_OPTS"); // the cache is for scripts/jvm-options
        pb.environment().remove("TENK_AOT");
        Process p = pb.start();
        // its JVM stopped, ./tenk removes what it had written and exits
        Runtime.getRuntime().addShutdownHook(new Thread(() -> p.descendants().forEach(ProcessHandle::destroy)));
    }

    /** Whether target/tenk.jar exists and no source or pom.xml is newer (./tenk would rebuild it). */
    private static boolean upToDate() throws IOException {
        if (!Files.isRegularFile(JAR)) return false;
        FileTime built = Files.getLastModifiedTime(JAR);
        if (Files.getLastModifiedTime(REPO.resolve("pom.xml")).compareTo(built) > 0) return false;
        try (Stream<Path> sources = Files.walk(REPO.resolve("src/main"))) {
            return sources.noneMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(built) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }
}
