package io.tenk.dist;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The distributions scripts/dist.sh builds (once for this class): the archive runs from any
 * folder with no JDK anywhere on PATH; the Debian package passes lintian, its files run as
 * installed, and its systemd unit verifies.
 */
@DisabledIfSystemProperty(named = "tenk.dist.skip", matches = "true", disabledReason = "-Ddist.skip")
@Tag("dist")
@Timeout(value = 25, unit = TimeUnit.MINUTES)
@Execution(ExecutionMode.CONCURRENT) // the cases only read what build() made, each in a folder of its own
@org.junit.jupiter.api.Order(2) // a long class, started early (junit-platform.properties)
class DistributionTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final Map<String, String> NO_JDK = Map.of("PATH", "/usr/bin:/bin");
    static final String HELLO = "hello from a temporary folder\n";

    @TempDir static Path tmp;
    static Path archive;
    static Path deb;
    static Path site;

    @BeforeAll static void build() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TENK_DIST_GZIP", "1"); // the fastest level: the same files, made with less CPU
        Proc.Result r = Proc.run(REPO, env, Duration.ofMinutes(20), List.of(REPO.resolve("scripts/dist.sh").toString()));
        assertEquals(0, r.code(), r.output());
        archive = newest("tenk-*-linux-x64.tar.gz");
        deb = newest("tenk_*_amd64.deb");
        site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), HELLO);
    }

    @Test void archiveRunsWithoutAJdk() throws Exception {
        Path unpacked = Files.createDirectories(tmp.resolve("archive"));
        assertEquals(0, Proc.run(unpacked, NO_JDK, Duration.ofMinutes(2), List.of("tar", "-xzf", archive.toString())).code());
        Path home;
        try (Stream<Path> s = Files.list(unpacked)) {
            home = s.findFirst().orElseThrow();
        }
        assertEquals(archive.getFileName().toString().replace("-linux-x64.tar.gz", ""), home.getFileName().toString());
        for (String f : List.of("bin/tenk", "lib/tenk.jar", "runtime/bin/java", "README.md", "NOTICE")) {
            assertTrue(Files.exists(home.resolve(f)), f);
        }
        assertFalse(Files.exists(home.resolve("runtime/man")), "no man pages");
        assertFalse(Files.exists(home.resolve("runtime/include")), "no header files");
        String modules = Files.readString(home.resolve("runtime/release"));
        assertFalse(modules.contains("java.desktop"), "only the modules tenk uses: " + modules);

        Proc.Result version = Proc.run(tmp, NO_JDK, Duration.ofMinutes(1), List.of(home.resolve("bin/tenk").toString(), "--version"));
        assertEquals(0, version.code(), version.output());
        assertTrue(version.output().contains("Java 25"), version.output());
        try (Proc p = Proc.start(site, NO_JDK, List.of(home.resolve("bin/tenk").toString(), "-p", "0"))) {
            HttpResponse<String> r = p.get("/hello.txt");
            assertEquals(200, r.statusCode(), p.output());
            assertEquals(HELLO, r.body());
            p.stopCleanly();
        }
    }

    @Test void packagePassesLintian() throws Exception {
        assumeTrue(onPath("lintian"), "lintian is not installed (apt-get install lintian)");
        Proc.Result r = Proc.run(tmp, null, Duration.ofMinutes(10), List.of("lintian", deb.toString()));
        List<String> errors = r.output().lines().filter(l -> l.startsWith("E:")).toList();
        assertTrue(errors.isEmpty(), r.output());
        assertEquals(0, r.code(), r.output());
    }

    @Test void packageMetadataAndConffile() throws Exception {
        Proc.Result fields = Proc.run(tmp, null, Duration.ofMinutes(1), List.of("dpkg-deb", "-f", deb.toString(), "Package", "Architecture"));
        assertEquals("Package: tenk\nArchitecture: amd64", fields.output().strip());
        Path control = tmp.resolve("control");
        assertEquals(0, Proc.run(tmp, null, Duration.ofMinutes(1), List.of("dpkg-deb", "-e", deb.toString(), control.toString())).code());
        assertEquals("/etc/tenk/tenk.toml", Files.readString(control.resolve("conffiles")).strip());
        for (String s : List.of("postinst", "prerm", "postrm")) assertTrue(Files.isExecutable(control.resolve(s)), s);
    }

    @Test void packagedFilesServeTheBundledSiteWithTheShippedConfig() throws Exception {
        Path root = extracted();
        Path config = tmp.resolve("tenk.toml");
        String shipped = Files.readString(root.resolve("etc/tenk/tenk.toml"));
        assertTrue(shipped.contains("root = \"/usr/share/tenk/html\""), shipped);
        Files.writeString(config, shipped.replace("/usr/share/tenk/html", root.resolve("usr/share/tenk/html").toString()));
        // /usr/bin/tenk is a symlink to the launcher in /usr/lib/tenk/bin, which finds its runtime through it
        assertTrue(Files.isSymbolicLink(root.resolve("usr/bin/tenk")));
        try (Proc p = Proc.start(tmp, NO_JDK, List.of(root.resolve("usr/bin/tenk").toString(), "--config", config.toString(), "-p", "0"))) {
            HttpResponse<String> r = p.get("/about.html");
            assertEquals(200, r.statusCode(), p.output());
            assertEquals(Files.readString(REPO.resolve("html/about.html")), r.body());
            p.stopCleanly();
        }
    }

    @Test void systemdUnitVerifies() throws Exception {
        Path root = extracted();
        String unit = Files.readString(root.resolve("lib/systemd/system/tenk.service"));
        for (String line : List.of("ExecStart=/usr/bin/tenk --config /etc/tenk/tenk.toml", "ExecReload=/bin/kill -HUP $MAINPID",
                "DynamicUser=yes", "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes", "PrivateTmp=yes")) {
            assertTrue(unit.lines().anyMatch(line::equals), line);
        }
        assertFalse(unit.contains("AmbientCapabilities"), "port 7890 needs no capability");
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd)");
        // verified as installed: the command it starts is the extracted one
        Path copy = tmp.resolve("tenk.service");
        Files.writeString(copy, unit.replace("/usr/bin/tenk", root.resolve("usr/bin/tenk").toString()));
        Proc.Result r = Proc.run(tmp, null, Duration.ofMinutes(2), List.of("systemd-analyze", "verify", copy.toString()));
        assertEquals(0, r.code(), r.output());
        assertEquals("", r.output().strip());
    }

    private static synchronized Path extracted() throws Exception {
        Path root = tmp.resolve("root");
        if (!Files.isDirectory(root)) {
            Proc.Result r = Proc.run(tmp, null, Duration.ofMinutes(2), List.of("dpkg", "-x", deb.toString(), root.toString()));
            assertEquals(0, r.code(), r.output());
        }
        return root;
    }

    private static Path newest(String glob) throws Exception {
        try (Stream<Path> s = Files.list(REPO.resolve("target"))) {
            return s.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified())).orElseThrow();
        }
    }

    private static boolean onPath(String tool) throws Exception {
        return Proc.run(tmp, null, Duration.ofSeconds(30), List.of("sh", "-c", "command -v " + tool)).code() == 0;
    }
}
