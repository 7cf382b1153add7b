package io.tenk.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the request parser (Jazzer). Invariants: nothing escapes but the
 * parser's own rejection (an ERROR with one of its statuses); a bounded input always finishes;
 * and the outcome does not depend on how the bytes were split across reads.
 *
 * <p>{@code ./test} runs it in a JVM of its own ({@code InOwnJvmTest}): the seed corpus in
 * src/test/resources/io/tenk/http/RequestParserFuzzTestInputs, then fuzzing for a bounded time; see README.
 */
@DisabledIfSystemProperty(named = "tenk.fuzz.skip", matches = "true", disabledReason = "-Dfuzz.skip")
class RequestParserFuzzTest {
    private static final Set<String> ERRORS = Set.of("ERROR 400", "ERROR 414", "ERROR 431", "ERROR 501", "ERROR 505");
    private static final Limits SMALL = new Limits(64, 256, 8);

    @FuzzTest(maxDuration = "30s")
    void parse(FuzzedDataProvider data) {
        int cutA = data.consumeInt(1, 4096), cutB = data.consumeInt(1, 4096);
        boolean direct = data.consumeBoolean();
        byte[] in = data.consumeRemainingAsBytes();
        for (Limits limits : List.of(ParserFeed.LIMITS, SMALL)) {
            List<String> whole = ParserFeed.run(in, new int[0], direct, limits);
            String last = whole.getLast();
            assertTrue(last.startsWith("END") || ERRORS.contains(last), last);
            int[] cuts = cutA == cutB ? new int[] {cutA} : new int[] {Math.min(cutA, cutB), Math.max(cutA, cutB)};
            cuts = java.util.Arrays.stream(cuts).filter(x -> x < in.length).toArray();
            assertEquals(whole, ParserFeed.run(in, cuts, !direct, limits));
        }
    }
}
