package io.tenk.support;

import io.tenk.model.Models;

import java.util.Set;
import java.util.stream.Stream;

/**
 * The names of the concurrency models, for {@code @MethodSource("io.tenk.support.AllModels#names")}.
 * {@code prefork} runs its workers as other processes: a test that measures this JVM's heap or
 * descriptors says so and skips it. A model that starts a JVM per connection ({@code process})
 * would make a suite of many connections take minutes: {@link #names()} leaves it out, and
 * {@code ModelConformanceTest} runs it on its cases of few connections ({@link #every()}).
 */
public final class AllModels {
    /** The models whose every connection starts a JVM. */
    public static final Set<String> JVM_PER_CONNECTION = Set.of("process");

    private AllModels() {}

    /** Every model but those that start a JVM per connection. */
    public static Stream<String> names() {
        return every().filter(n -> !JVM_PER_CONNECTION.contains(n));
    }

    /**
     * What the hostile-client suites run on: {@link #names()} and every event mechanism of
     * {@link #nativeEvents()} (a descriptor closed too early, a timeout missed, an event lost
     * would show on one and not on the others).
     */
    public static Stream<String> hostile() {
        return Stream.concat(names(), nativeEvents());
    }

    /** Every model. */
    public static Stream<String> every() {
        return Models.ALL.stream().map(Models.Info::name);
    }

    /**
     * The event loops on the other event mechanisms ({@code --selector}), as "model/selector"
     * names that {@link TestServer#config(java.nio.file.Path, String)} takes: every kernel
     * mechanism called directly under {@code selector}, and one-shot with two threads on its one
     * set (leader/follower, "selector/epoll-oneshot/2"); under {@code reactor} (connections handed
     * in from an acceptor), select's refusal path and edge triggering; and the JDK's Selector
     * ({@code selector/epoll}), the default where tenk may not call the kernel (the plain names run
     * the default here, {@code epoll-lt}).
     */
    public static Stream<String> nativeEvents() {
        return Stream.of("selector/select", "selector/native-poll", "selector/epoll-lt", "selector/epoll-et",
                "selector/epoll-oneshot", "selector/epoll-oneshot/2", "reactor/select", "reactor/epoll-et", "selector/epoll");
    }
}
