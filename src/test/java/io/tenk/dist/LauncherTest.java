package io.tenk.dist;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./tenk} behaves as a command: it stays in the directory it is run from, so {@code -d},
 * {@code --config} and {@code compress} paths are the user's; without {@code -d} it serves the
 * current directory, and the demo site only from the checkout's root; it runs through a symlink
 * found on PATH. Real processes on port 0, fetched over HTTP (after {@code package}: ./tenk needs
 * a built jar).
 */
@DisabledIfSystemProperty(named = "tenk.dist.skip", matches = "true", disabledReason = "-Ddist.skip")
@Tag("dist")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.Order(8) // a long class, started early (junit-platform.properties)
class LauncherTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final String LAUNCHER = REPO.resolve("tenk").toString();
    static final String HELLO = "hello from the user's site\n";

    @TempDir static Path tmp;
    static Path site;

    @BeforeAll static void site() throws Exception {
        site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), HELLO);
        Files.writeString(site.resolve("big.html"), "<p>tenk</p>\n".repeat(200));
        Files.writeString(tmp.resolve("tenk.toml"), "[[site]]\nnames = [\"*\"]\nroot = \"site\"\n");
    }

    /**
     * The ahead-of-time cache the launcher records cannot hold class files older than Java 6: the
     * build rewrites picocli's (scripts/AotClassFiles.java), and no other may be that old.
     */
    @Test void everyClassOfTheJarIsNewEnoughForTheCache() throws Exception {
        int classes = 0;
        try (var jar = new java.util.jar.JarFile(REPO.resolve("target/tenk.jar").toFile())) {
            for (var e : java.util.Collections.list(jar.entries())) {
                if (!e.getName().endsWith(".class") || e.getName().contains("module-info")) continue;
                try (var in = new java.io.DataInputStream(jar.getInputStream(e))) {
                    in.readInt(); // magic
                    in.readUnsignedShort(); // minor
                    int major = in.readUnsignedShort();
                    assertTrue(major >= 50, e.getName() + " is a class file of version " + major);
                }
                classes++;
            }
        }
        assertTrue(classes > 1000, classes + " classes");
    }

    @Test void dotIsTheWorkingDirectory() throws Exception {
        assertServesTheSite(site, List.of(LAUNCHER, "-q", "-p", "0", "-d", "."));
    }

    @Test void relativeDirectoryAndConfigResolveAgainstTheWorkingDirectory() throws Exception {
        assertServesTheSite(tmp, List.of(LAUNCHER, "-q", "-p", "0", "-d", "site"));
        assertServesTheSite(tmp, List.of(LAUNCHER, "-q", "-p", "0", "--config", "tenk.toml"));
    }

    @Test void aSymlinkOnPathWithoutDirectoryServesTheWorkingDirectory() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("tenk"), Path.of(LAUNCHER));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", bin + ":/usr/bin:/bin");
        try (Proc p = Proc.start(site, env, List.of("sh", "-c", "exec tenk -q -p 0"))) {
            assertSite(p);
        } finally {
            Files.delete(link);
        }
    }

    @Test void withoutDirectoryTheCheckoutRootServesTheDemoSite() throws Exception {
        String jar = REPO.resolve("target/tenk.jar").toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> cmd : List.of(List.of(LAUNCHER, "-q", "-p", "0"), List.of(java, "-jar", jar, "-q", "-p", "0"))) {
            try (Proc p = Proc.start(REPO, null, cmd)) {
                HttpResponse<String> about = p.get("/about.html");
                assertEquals(200, about.statusCode(), cmd + " " + p.output());
                assertEquals(Files.readString(REPO.resolve("html/about.html")), about.body());
                assertEquals(404, p.get("/pom.xml").statusCode());
                p.stopCleanly();
            }
        }
        // the same jar run from elsewhere serves where it is run
        assertServesTheSite(site, List.of(java, "-jar", jar, "-q", "-p", "0"));
    }

    @Test void compressWritesWhereItIsRun() throws Exception {
        Proc.Result r = Proc.run(tmp, null, Duration.ofMinutes(6), List.of(LAUNCHER, "compress", "--formats", "gzip", "site"));
        assertEquals(0, r.code(), r.output());
        assertTrue(Files.isRegularFile(site.resolve("big.html.gz")), r.output());
    }

    private static void assertServesTheSite(Path cwd, List<String> cmd) throws Exception {
        try (Proc p = Proc.start(cwd, null, cmd)) {
            assertSite(p);
        }
    }

    private static void assertSite(Proc p) throws Exception {
        HttpResponse<String> r = p.get("/hello.txt");
        assertEquals(200, r.statusCode(), p.output());
        assertEquals(HELLO, r.body());
        assertEquals(404, p.get("/pom.xml").statusCode(), "the checkout is not what is served");
        p.stopCleanly();
    }
}
