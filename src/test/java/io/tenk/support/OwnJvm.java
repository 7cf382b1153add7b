package io.tenk.support;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectIteration;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

/**
 * Runs one test class, or a share of its cases, in a JVM of its own, started from a test of the
 * shared suite: for classes that measure their own JVM (its heap) or change it for good (Jazzer's
 * agent, fuzzing one target per JVM). They run beside the rest of the suite instead of in a phase
 * after it. The child runs them with the JUnit Platform launcher ({@link #main}), prints one line
 * per test and its failures, and the CPU it used, and exits 0 only if some test ran and none
 * failed. What to run is a class name, or {@code Class@i/n}: the class's i-th of n shares of its
 * cases (counted from 0; see {@link #share}).
 */
public final class OwnJvm {
    private OwnJvm() {}

    /** How a child run ended: its exit code and everything it printed. */
    public record Result(int exitCode, String output) {
        /** The last {@code lines} lines of the output, for a failure message. */
        public String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /**
     * Runs the tests {@code testClass} names (a class, or {@code Class@i/n}) in a new JVM with {@code jvmArgs} and {@code env}
     * added, its output kept in {@code dir}; killed if it takes longer than {@code limit}.
     */
    public static Result run(String testClass, List<String> jvmArgs, Map<String, String> env, Path dir, Duration limit)
            throws IOException, InterruptedException {
        return run(List.of(), testClass, System.getProperty("java.class.path"), jvmArgs, env, dir, limit);
    }

    /**
     * As {@link #run}, at the lowest CPU priority ({@code nice -n 19}): for work that runs for a
     * fixed time and takes whatever CPU it gets (fuzzing), so that it fills the CPU the rest of
     * the suite leaves idle instead of taking it from tests that have a fixed amount to do.
     */
    public static Result runInBackground(String testClass, String classPath, List<String> jvmArgs, Map<String, String> env,
            Path dir, Duration limit) throws IOException, InterruptedException {
        return run(List.of("nice", "-n", "19"), testClass, classPath, jvmArgs, env, dir, limit);
    }

    /** This JVM's class path without the entries whose file name matches {@code leftOut}. */
    public static String classPathWithout(Pattern leftOut) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !leftOut.matcher(Path.of(e).getFileName().toString()).find())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Result run(List<String> launcher, String testClass, String classPath, List<String> jvmArgs,
            Map<String, String> env, Path dir, Duration limit) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(java, "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmArgs);
        for (String p : List.of("tenk.dist.skip", "tenk.fuzz.skip")) {
            if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        cmd.addAll(List.of("-cp", classPath, OwnJvm.class.getName(), testClass));
        Path out = dir.resolve(testClass.substring(testClass.lastIndexOf('.') + 1).replace('@', '-').replace('/', '-') + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            return new Result(-1, Files.readString(out, StandardCharsets.UTF_8) + "\n(killed after " + limit + ")");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static LauncherDiscoveryRequest request(List<DiscoverySelector> selectors) {
        return LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false").build();
    }

    /**
     * Share {@code i} of {@code n} of a plan: of each parameterized method, the invocations whose
     * index is i modulo n (their number is known only once they run); of the other tests, every
     * n-th from the i-th.
     */
    private static List<DiscoverySelector> share(TestPlan plan, int i, int n) {
        List<DiscoverySelector> mine = new ArrayList<>();
        int[] iterations = java.util.stream.IntStream.iterate(i, k -> k < 10_000, k -> k + n).toArray();
        int[] plain = {0};
        walk(plan, plan.getRoots(), id -> {
            if (!(id.getSource().orElse(null) instanceof MethodSource m)) return;
            if (id.isContainer()) {
                mine.add(selectIteration(selectMethod(m.getClassName(), m.getMethodName(), m.getMethodParameterTypes()), iterations));
            } else if (plain[0]++ % n == i) {
                mine.add(selectUniqueId(id.getUniqueIdObject()));
            }
        });
        return mine;
    }

    private static void walk(TestPlan plan, java.util.Set<TestIdentifier> ids, java.util.function.Consumer<TestIdentifier> visit) {
        for (TestIdentifier id : ids) {
            visit.accept(id);
            walk(plan, plan.getChildren(id), visit);
        }
    }

    /**
     * What this JVM and the processes it started (once ended) used of the CPU, from
     * /proc/self/stat: "cpu: 12.3 s (this JVM), 4.5 s (its child processes)".
     */
    static String cpuLine() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // after "(comm)": state is field 3; utime, stime, cutime, cstime are fields 14 to 17, in ticks of 1/100 s
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long self = Long.parseLong(f[11]) + Long.parseLong(f[12]), children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return String.format("cpu: %.1f s (this JVM), %.1f s (its child processes)", self / 100.0, children / 100.0);
        } catch (IOException | RuntimeException e) {
            return "cpu: unknown (" + e + ")";
        }
    }

    /** The child: runs what {@code args[0]} names (a class, or {@code Class@i/n}). */
    public static void main(String[] args) {
        PrintStream out = System.out;
        Matcher share = Pattern.compile("(.+)@(\\d+)/(\\d+)").matcher(args[0]);
        boolean shared = share.matches();
        Launcher launcher = LauncherFactory.create();
        // one class: its tests one after another, on this thread
        TestPlan plan = launcher.discover(request(List.of(selectClass(shared ? share.group(1) : args[0]))));
        if (shared) plan = launcher.discover(request(share(plan, Integer.parseInt(share.group(2)), Integer.parseInt(share.group(3)))));
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener lines = new TestExecutionListener() {
            @Override public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) return;
                out.println(switch (result.getStatus()) {
                    case SUCCESSFUL -> "passed: ";
                    case ABORTED -> "skipped: ";
                    case FAILED -> "FAILED: ";
                } + id.getDisplayName() + result.getThrowable().map(t -> " — " + t).orElse(""));
            }

            @Override public void executionSkipped(TestIdentifier id, String reason) {
                out.println("skipped: " + id.getDisplayName() + " — " + reason);
            }
        };
        launcher.execute(plan, summary, lines);
        TestExecutionSummary s = summary.getSummary();
        s.printFailuresTo(new PrintWriter(out, true), 40);
        s.printTo(new PrintWriter(out, true));
        out.println(cpuLine());
        out.flush();
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
