package io.tenk;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one rule of the architecture: model-specific code lives only in model/. The protocol,
 * file, handler and rules layers never touch sockets or threads, and depend on no transport.
 */
class ArchitectureTest {
    private static final Path SRC = Path.of("src/main/java/io/tenk");
    private static final List<String> PURE = List.of("http", "files", "handler", "rules");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "java\\.nio\\.channels|java\\.net\\.(Server)?Socket\\b|java\\.net\\.Socket|\\bThread\\b|\\bExecutor|"
                    + "java\\.util\\.concurrent\\.(Executor|ThreadPool|ForkJoin)|io\\.tenk\\.(model|conn|cli|observe)\\b|"
                    + "System\\.(out|err)\\b|synchronized");

    @Test void pureLayersUseNoSocketsThreadsOrTransport() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (String pkg : PURE) {
            Path dir = SRC.resolve(pkg);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) continue;
                        if (FORBIDDEN.matcher(line).find()) violations.add(f + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertTrue(files > 10, "the pure layers were found (" + files + " files)");
        assertEquals(List.of(), violations);
    }

    @Test void onlyModelCodeStartsThreadsOrOpensSockets() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> s = Files.walk(SRC)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                String rel = SRC.relativize(f).toString();
                if (rel.startsWith("model/") || rel.startsWith("observe/") || rel.startsWith("cli/")) continue;
                String text = Files.readString(f);
                if (text.matches("(?s).*(ServerSocketChannel|\\bSelector\\b|Thread\\.of|new Thread\\().*")) violations.add(rel);
            }
        }
        assertEquals(List.of(), violations);
    }
}
