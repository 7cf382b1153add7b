package io.tenk.support;

import io.tenk.model.Models;

import java.util.stream.Stream;

/**
 * The names of every concurrency model, for {@code @MethodSource("io.tenk.support.AllModels#names")}.
 * {@code prefork} runs its workers as other processes: a test that measures this JVM's heap or
 * descriptors says so and skips it.
 */
public final class AllModels {
    private AllModels() {}

    public static Stream<String> names() {
        return Models.ALL.stream().map(Models.Info::name);
    }
}
