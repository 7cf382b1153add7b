package io.tenk.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** rules does no I/O, starts no threads and depends on no model, handler or files code. */
class RulesPurityTest {

    static final List<String> FORBIDDEN = List.of(
            "java.nio.channels", "java.nio.file", "java.io.File", "java.net.Socket", "new Thread", "Thread.ofVirtual",
            "Executor", "io.tenk.handler", "io.tenk.files", "io.tenk.model", "io.tenk.conn", "System.out", "System.err");

    @Test
    void sourcesImportNothingForbidden() throws IOException {
        Path dir = Path.of("src/main/java/io/tenk/rules");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> hits = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    String text = Files.readString(p);
                    return FORBIDDEN.stream().filter(text::contains).map(f -> p.getFileName() + ": " + f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertEquals(List.of(), hits);
        }
    }
}
