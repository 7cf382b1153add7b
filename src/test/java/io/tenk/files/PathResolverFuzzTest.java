package io.tenk.files;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tenk.http.RequestPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the path resolver (Jazzer). Invariants: it never throws, and a
 * resolved file or directory is always inside the real root, whatever the request path, taken
 * through {@link RequestPath} as the server does or given to the resolver as it is (the
 * tree has a dotfile, nested directories and symlinks leading out of the root).
 */
@DisabledIfSystemProperty(named = "tenk.fuzz.skip", matches = "true", disabledReason = "-Dfuzz.skip")
class PathResolverFuzzTest {
    private static Path base, root;
    private static PathResolver resolver;

    @BeforeAll static void tree() throws IOException {
        base = Files.createTempDirectory("tenk-fuzz");
        root = Files.createDirectories(base.resolve("www"));
        Files.writeString(base.resolve("secret.txt"), "outside");
        Files.writeString(root.resolve("index.html"), "hi");
        Files.writeString(root.resolve(".env"), "x");
        Files.createDirectories(root.resolve("a/b c/ü"));
        Files.writeString(root.resolve("a/b c/ü/f.txt"), "f");
        Files.createSymbolicLink(root.resolve("out"), base);
        Files.createSymbolicLink(root.resolve("a/up"), Path.of("../../secret.txt"));
        resolver = new PathResolver(root);
    }

    @AfterAll static void clean() throws IOException {
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void resolve(FuzzedDataProvider data) throws IOException {
        String raw = data.consumeRemainingAsString();
        // as the server does it (RequestPath, then the resolver), and the resolver given anything at all
        String normalised = RequestPath.of(raw);
        if (normalised != null) check(raw, resolver.resolve(normalised));
        check(raw, resolver.resolve(raw));
    }

    private static void check(String path, Resolution r) throws IOException {
        assertNotNull(r);
        Path real = switch (r) {
            case Resolution.File f -> f.realPath();
            case Resolution.Directory d -> {
                assertTrue(d.canonicalPath().startsWith("/") && d.canonicalPath().endsWith("/") && !d.canonicalPath().startsWith("//"), d.canonicalPath());
                yield d.realPath();
            }
            default -> null;
        };
        if (real != null) {
            assertTrue(real.startsWith(resolver.root()), path + " -> " + real);
            assertTrue(real.toRealPath().startsWith(resolver.root()), path + " -> " + real);
        }
    }
}
