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

    /**
     * The event loops on the kernel's event mechanisms called directly ({@code --selector}), as
     * "model/selector" names that {@link TestServer#config(java.nio.file.Path, String)} takes:
     * every one under {@code selector}; under {@code reactor} (connections handed in from an
     * acceptor), select's refusal path and edge triggering.
     */
    public static Stream<String> nativeEvents() {
        return Stream.of("selector/select", "selector/native-poll", "selector/epoll-lt", "selector/epoll-et",
                "selector/epoll-oneshot", "reactor/select", "reactor/epoll-et");
    }
}
