package io.tenk;

import io.tenk.support.OwnJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test classes that need a JVM to themselves, each run in one ({@link OwnJvm}) while the rest
 * of the suite goes on beside them: the fuzz targets, which Jazzer fuzzes one per JVM (after
 * replaying their seed corpus) for {@code fuzz.duration} (pom.xml; {@code -Dfuzz.skip} skips
 * them), and {@code ConnectionMemoryTest} and {@code AbortedConnectionsTest}, which measure their
 * own JVM's heap and descriptors. Their tags ({@code jazzer}, {@code own-jvm}) keep them out of the
 * shared JVM. The JVMs (ConnectionMemoryTest's cases in two) start together, as soon as a run
 * that includes this class begins ({@link InOwnJvmStart}), and each case waits for its own. The
 * fuzzers fuzz for a fixed time with whatever CPU they get, so they run at the lowest CPU priority ({@link OwnJvm#runInBackground}): they use the CPU the rest of
 * the suite leaves instead of taking it from tests with a fixed amount of work. The class itself
 * runs alone, last but one (SlowlorisTest, last, wants a machine where they have ended): by then
 * its JVMs have had the whole run.
 */
@Execution(ExecutionMode.CONCURRENT)
@Isolated // last but one (junit-platform.properties): its JVMs have run beside every other class
@org.junit.jupiter.api.Order(Integer.MAX_VALUE - 1)
class InOwnJvmTest {
    private static Path dir;

    /**
     * A fuzz target's JVM. C1 only and the serial collector: fuzzing is one thread for a fixed
     * time, which C2's compiler threads and G1's threads would compete with for the CPU (on two
     * loaded cores this made as many runs in the 30 s, with the same coverage, in about half the
     * CPU-seconds). Jazzer's agent
     * attaches from within, not through a helper JVM that ByteBuddy would start.
     */
    static final List<String> FUZZ_JVM = List.of("-XX:+EnableDynamicAgentLoading", "-Djdk.attach.allowAttachSelf=true",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** ConnectionMemoryTest's JVM: the heap its bounds are measured in; C1 only, as its work waits on sockets. */
    static final List<String> MEMORY_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");
    /**
     * AbortedConnectionsTest's JVM: the serial collector, the one its 2 MiB heap bound was set
     * with (in the suite's shared JVM); about 10 % less CPU than G1 and a second sooner here.
     */
    static final List<String> ABORTED_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * The fuzz targets' class path: the suite's, without the libraries they never load (TLS,
     * ACME, compression, YAML and grammar libraries), which Jazzer's start-up would otherwise scan
     * for hooks, class by class: a quarter of each fuzzing JVM's start-up CPU. A target that came
     * to need one would fail on a missing class, loudly.
     */
    static final String FUZZ_CLASS_PATH = OwnJvm.classPathWithout(Pattern.compile(
            "^(bcprov|bcpkix|bcutil|acme4j|jose4j|snakeyaml|antlr4|zstd-jni|brotli4j|native-linux|service-|checker-qual)"));

    static final List<String> FUZZ_TARGETS = List.of("io.tenk.http.RequestParserFuzzTest", "io.tenk.files.PathResolverFuzzTest");
    /**
     * ConnectionMemoryTest in two JVMs, each with every other case (half the models of each
     * method): in one JVM it was the last thing the run waited for, on one core.
     */
    static final List<String> MEMORY_TESTS = List.of("io.tenk.hostile.ConnectionMemoryTest@0/2",
            "io.tenk.hostile.ConnectionMemoryTest@1/2");
    /** Counts its JVM's descriptors and heap: run in a JVM of its own. */
    static final String ABORTED_TEST = "io.tenk.hostile.AbortedConnectionsTest";
    private static final Map<String, Future<OwnJvm.Result>> RUNS = new HashMap<>();
    private static ExecutorService starter;

    /**
     * Starts every JVM of this class at once (the fuzz targets unless {@code -Dfuzz.skip}); once:
     * when the run begins, else when the class does.
     */
    @BeforeAll static synchronized void startAll() throws IOException {
        if (starter != null) return;
        dir = Files.createTempDirectory("tenk-own-jvm");
        starter = Executors.newFixedThreadPool(FUZZ_TARGETS.size() + MEMORY_TESTS.size() + 1, r -> Thread.ofPlatform().daemon().unstarted(r));
        if (!Boolean.getBoolean("tenk.fuzz.skip")) {
            String duration = System.getProperty("tenk.fuzz.duration", "30s");
            Duration bound = limit(duration).multipliedBy(2).plusMinutes(8); // Jazzer's start-up is slow on a loaded machine
            for (String target : FUZZ_TARGETS) {
                RUNS.put(target, starter.submit(() -> OwnJvm.runInBackground(target, FUZZ_CLASS_PATH, FUZZ_JVM,
                        Map.of("JAZZER_FUZZ", "1", "JAZZER_MAX_DURATION", duration), dir, bound)));
            }
        }
        // a fixed amount of work each, at the usual priority: done while the rest of the run goes
        // on (not during the classes that run alone at the end, whose bounds are latencies)
        for (String part : MEMORY_TESTS) {
            RUNS.put(part, starter.submit(() -> OwnJvm.run(part, MEMORY_JVM, Map.of(), dir, Duration.ofMinutes(10))));
        }
        RUNS.put(ABORTED_TEST, starter.submit(() -> OwnJvm.run(ABORTED_TEST, ABORTED_JVM, Map.of(), dir, Duration.ofMinutes(10))));
    }

    /** After the cases, which waited for every JVM: their output goes. */
    @AfterAll static void stopStarter() throws IOException {
        starter.shutdownNow();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.tenk.http.RequestParserFuzzTest", "io.tenk.files.PathResolverFuzzTest"})
    @DisabledIfSystemProperty(named = "tenk.fuzz.skip", matches = "true", disabledReason = "-Dfuzz.skip")
    void fuzzTargetHoldsItsInvariants(String target) throws Exception {
        OwnJvm.Result r = RUNS.get(target).get(); // OwnJvm.run bounds each JVM's time
        System.out.println(r.tail(24));
        assertEquals(0, r.exitCode(), target + " in a JVM of its own:\n" + r.tail(60));
        assertTrue(r.output().contains("passed: "), r.tail(60));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.FieldSource("MEMORY_TESTS")
    void connectionMemoryIsBounded(String part) throws Exception {
        OwnJvm.Result r = RUNS.get(part).get();
        System.out.println(r.tail(24));
        assertEquals(0, r.exitCode(), part + " in a JVM of its own:\n" + r.tail(60));
    }

    @Test
    void abortedConnectionsLeaveNoTrace() throws Exception {
        OwnJvm.Result r = RUNS.get(ABORTED_TEST).get();
        System.out.println(r.tail(24));
        assertEquals(0, r.exitCode(), "AbortedConnectionsTest in a JVM of its own:\n" + r.tail(60));
    }

    /** A Jazzer duration such as 30s, 10m or 1h. */
    static Duration limit(String jazzerDuration) {
        Matcher m = Pattern.compile("(\\d+)([smh])").matcher(jazzerDuration.trim());
        if (!m.matches()) throw new IllegalArgumentException("fuzz.duration: expected e.g. 30s, 10m or 1h, not " + jazzerDuration);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
