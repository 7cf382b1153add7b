package io.tenk;

import io.tenk.support.OwnJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test classes that need a JVM to themselves, each run in one ({@link OwnJvm}) while the rest
 * of the suite goes on beside them: the fuzz targets, which Jazzer fuzzes one per JVM (after
 * replaying their seed corpus) for {@code fuzz.duration} (pom.xml; {@code -Dfuzz.skip} skips
 * them), and {@code ConnectionMemoryTest}, which measures its own JVM's heap. Their tags
 * ({@code jazzer}, {@code own-jvm}) keep them out of the shared JVM.
 */
@Execution(ExecutionMode.CONCURRENT)
@org.junit.jupiter.api.Order(1) // a long class, started early (junit-platform.properties)
class InOwnJvmTest {
    @TempDir static Path dir;

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

    @ParameterizedTest
    @ValueSource(strings = {"io.tenk.http.RequestParserFuzzTest", "io.tenk.files.PathResolverFuzzTest"})
    @DisabledIfSystemProperty(named = "tenk.fuzz.skip", matches = "true", disabledReason = "-Dfuzz.skip")
    void fuzzTargetHoldsItsInvariants(String target) throws Exception {
        String duration = System.getProperty("tenk.fuzz.duration", "30s");
        OwnJvm.Result r = OwnJvm.run(target, FUZZ_JVM,
                Map.of("JAZZER_FUZZ", "1", "JAZZER_MAX_DURATION", duration), dir, limit(duration).multipliedBy(2).plusMinutes(8)); // Jazzer's start-up is slow on a loaded machine
        System.out.println(r.tail(24));
        assertEquals(0, r.exitCode(), target + " in a JVM of its own:\n" + r.tail(60));
        assertTrue(r.output().contains("passed: "), r.tail(60));
    }

    @Test
    void connectionMemoryIsBounded() throws Exception {
        OwnJvm.Result r = OwnJvm.run("io.tenk.hostile.ConnectionMemoryTest", MEMORY_JVM, Map.of(), dir,
                Duration.ofMinutes(10));
        System.out.println(r.tail(24));
        assertEquals(0, r.exitCode(), "ConnectionMemoryTest in a JVM of its own:\n" + r.tail(60));
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
