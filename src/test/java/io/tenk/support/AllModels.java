package io.tenk.support;

import io.tenk.model.Models;

import java.util.stream.Stream;

/**
 * The names of the models that run inside this JVM, for
 * {@code @MethodSource("io.tenk.support.AllModels#names")}: the hostile-client suites inspect the
 * server's heap, descriptors and logs in this process. {@code prefork}'s workers are other
 * processes; the conformance suite ({@code TestServer.modelNames()}) and {@code PreforkTest}
 * cover it with real processes.
 */
public final class AllModels {
    private AllModels() {}

    public static Stream<String> names() {
        return Models.ALL.stream().map(Models.Info::name).filter(n -> !n.equals("prefork"));
    }
}
