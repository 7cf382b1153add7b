package io.tenk.cli;

import io.tenk.support.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tenk.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tenk compress} never follows a link, prints names escaped, and skips what it cannot read. */
class CompressCommandTest {
    private static final String JS = "function hello(name) { return 'hello ' + name; }\n".repeat(100);
    /** A name that, printed raw, sets the terminal's title. */
    private static final String EVIL = "evil\u001b]0;pwned\u0007.js";

    @TempDir Path dir;

    @Test void linksAreNeverFollowed() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n".repeat(100));
        Files.writeString(outside.resolve("big.css"), "a { color: red }\n".repeat(200));
        Files.writeString(site.resolve("app.js"), JS);
        Files.createSymbolicLink(site.resolve("passwd.txt"), outside.resolve("passwd"));
        Files.createSymbolicLink(site.resolve("alias.js"), Path.of("app.js"));
        Files.createSymbolicLink(site.resolve("linked"), outside);

        CliTest.Run r = run("compress", "--formats", "gzip", site.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(site.resolve("app.js.gz")));
        assertFalse(Files.exists(site.resolve("passwd.txt.gz")), "a link out of the tree was compressed");
        assertFalse(Files.exists(site.resolve("alias.js.gz")), "a link inside the tree is left to its target");
        try (var s = Files.list(outside)) {
            assertEquals(2, s.count(), "nothing was written outside the tree");
        }
        assertTrue(r.out().startsWith("1 file ("), r.out());
    }

    @Test void progressPrintsNamesEscaped() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CompressCommand.progress(new PrintStream(b, true, StandardCharsets.UTF_8), true, 1, 1, Path.of(EVIL));
        String shown = b.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("evil\\x1b]0;pwned\\x07.js"), shown);
        assertFalse(shown.replace("\r", "").replace("\u001b[K", "").chars().anyMatch(c -> c < 0x20 || c == 0x7f),
                "only the bar's own carriage return and erase-line are control characters: " + shown);
    }

    /**
     * An unreadable file and directory are each skipped with one warning line (its name escaped),
     * and the rest is compressed. Root reads everything, so as root the command runs in a child
     * JVM without the DAC-override capabilities (setpriv).
     */
    @Test void unreadableIsSkippedWithOneWarningLine() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("good.js"), JS);
        Path locked = Files.writeString(site.resolve(EVIL), JS);
        Path closed = Files.createDirectories(site.resolve("private"));
        Files.writeString(closed.resolve("inner.js"), JS);
        Files.setPosixFilePermissions(locked, Set.of());
        Files.setPosixFilePermissions(closed, Set.of());
        CliTest.Run r;
        if ("root".equals(System.getProperty("user.name"))) {
            Assumptions.assumeTrue(new File("/usr/bin/setpriv").canExecute(), "setpriv is needed to drop root's DAC override");
            r = runWithoutDacOverride("compress", "--formats", "gzip", site.toString());
        } else {
            r = run("compress", "--formats", "gzip", site.toString());
        }
        Files.setPosixFilePermissions(closed, Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE, java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(site.resolve("good.js.gz")), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(List.of("tenk: skipped evil\\x1b]0;pwned\\x07.js: cannot read it", "tenk: skipped private: cannot read it"),
                lines, r.err());
        assertTrue(r.out().contains("2 skipped"), r.out());
    }

    private static CliTest.Run runWithoutDacOverride(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        cmd.addAll(ChildJvm.command(List.of()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "compress ended");
        return new CliTest.Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
