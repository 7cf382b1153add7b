package io.tenk.cli;

import io.tenk.config.Listen;
import io.tenk.config.ModelKind;
import io.tenk.config.SelectorKind;
import io.tenk.config.ServerConfig;
import io.tenk.support.ChildJvm;
import io.tenk.support.Wrk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tenk.cli.CliTest.assertOneLineError;
import static io.tenk.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** --config, tenk check, tenk rules test, and SIGHUP reload under load. */
class ConfigCliTest {
    @TempDir Path dir;

    private Path config(String text) throws IOException {
        for (String d : List.of("a", "b")) {
            Files.createDirectories(dir.resolve(d));
            Files.writeString(dir.resolve(d).resolve("index.html"), "site " + d + "\n");
        }
        return Files.writeString(dir.resolve("tenk.toml"), text);
    }

    static final String TWO_SITES = """
            [server]
            listen = ["127.0.0.1:0"]

            [[site]]
            names = ["a.test"]
            root = "a"

            [[site.rule]]
            redirect = '^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$'
            to = '/posts/\\g<year>/\\g<slug>/'
            status = 301

            [[site.rule]]
            fallback = "/index.html"

            [[site]]
            names = ["*"]
            root = "b"
            """;

    private static ServerConfig parse(String... args) {
        ServeCommand c = new ServeCommand();
        c.commandLine().parseArgs(args);
        return c.toConfig();
    }

    /** Flags override the file's settings one by one: every address of the file stays (-b alone replaces them). */
    @Test void flagsKeepEveryListenAddressOfTheFile() throws IOException {
        Path f = config("""
                [server]
                listen = ["127.0.0.1:8080", "[::1]:8080"]
                """);
        List<Listen> both = List.of(new Listen("127.0.0.1", 8080), new Listen("::1", 8080));
        ServerConfig c = parse("--config", f.toString(), "--model", "pool", "--threads", "2", "--queue", "3",
                "--selector", "poll", "-q", "--debug", "--log-format", "json", "--max-connections", "9",
                "--idle-timeout", "3s", "--min-write-rate", "0", "--spa", "--no-cache");
        assertEquals(both, c.listen());
        assertEquals(ModelKind.POOL, c.model());
        assertEquals(SelectorKind.POLL, c.selector());
        assertEquals(List.of(new Listen("127.0.0.1", 0), new Listen("::1", 0)), parse("--config", f.toString(), "-p", "0").listen());
        assertEquals(List.of(new Listen("127.0.0.2", 8080)), parse("--config", f.toString(), "-b", "127.0.0.2").listen());
        assertEquals(both, parse("--config", f.toString(), "--model", "prefork", "--workers", "2").listen());
    }

    @Test void checkPrintsWhatItWouldServe() throws IOException {
        Path f = config(TWO_SITES);
        CliTest.Run r = run("check", "--config", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("tenk: " + f + " is ok\n"), r.out());
        assertTrue(r.out().contains("listen 127.0.0.1:0 (model reactor)"), r.out());
        assertTrue(r.out().contains("site 1: a.test"), r.out());
        assertTrue(r.out().contains("site 2 (default): *"), r.out());
        assertTrue(r.out().contains("rule 1 (line 9): redirect"), r.out());
        assertTrue(r.out().contains("rule 2 (line 14): fallback (any path) to '/index.html'"), r.out());
    }

    @Test void badConfigIsOneLineAndExitCode2() throws IOException {
        Path f = config(TWO_SITES.replace("status = 301", "status = 300"));
        assertOneLineError(run("check", "--config", f.toString()), 2, f + ":11: site[1].rule[1].status: bad status 300");
        assertOneLineError(run("--config", f.toString(), "-p", "0"), 2, f + ":11: site[1].rule[1].status: bad status 300");
        assertOneLineError(run("rules", "test", "--config", f.toString(), "/"), 2, f + ":11:");
        Path g = config("[server]\nfoo = 1\n");
        assertOneLineError(run("check", g.toString()), 2, g + ":2: server.foo: unknown key");
        assertOneLineError(run("check", "--config", dir.resolve("none.toml").toString()), 2, "no such file");
        assertOneLineError(run("check"), 2, "usage: tenk check --config FILE");
        assertOneLineError(run("check", "--config", g.toString(), "-x"), 2, "unknown option -x");
    }

    @Test void rulesTestShowsSiteStepsGroupsAndResult() throws IOException {
        Path f = config(TWO_SITES);
        CliTest.Run r = run("rules", "test", "--config", f.toString(),
                "http://A.test:8080/blog/2024/hi.html?x=1", "http://a.test/nothing/here", "/elsewhere");
        assertEquals(0, r.code(), r.err());
        String o = r.out();
        assertTrue(o.contains("http://A.test:8080/blog/2024/hi.html?x=1\n  site 1 (a.test) root "), o);
        assertTrue(o.contains("rule 1 redirect ^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$: 1=2024 2=hi "), o);
        assertTrue(o.contains(" year=2024 ") && o.contains(" slug=hi ") && o.contains("-> redirect 301 /posts/2024/hi/\n"), o);
        assertTrue(o.contains("result: 301 Moved Permanently, Location: /posts/2024/hi/?x=1"), o);
        assertTrue(o.contains("rule 1 redirect ^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$: no match"), o);
        assertTrue(o.contains("result: 200 OK, file " + dir.resolve("a/index.html").toRealPath()), o);
        assertTrue(o.contains("/elsewhere\n  site 2 (*) root "), o);
        assertTrue(o.contains("result: 404 Not Found"), o);
        assertOneLineError(run("rules", "test", "--config", f.toString(), "nope"), 2, "expected http://host/path or /path");
    }

    @Test void dashDCannotReplaceTheFileSites() throws IOException {
        Path f = config(TWO_SITES);
        assertOneLineError(run("--config", f.toString(), "-d", dir.toString(), "-p", "0"), 2, "-d cannot be combined");
    }

    /**
     * A real server under wrk: SIGHUP several times, switching the config between two versions
     * and once to a broken file. wrk must see no error and no non-2xx response.
     */
    @Test void reloadUnderLoadFailsNoRequest() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wrk")) || onPath("wrk"), "wrk is not installed");
        String v1 = "[[site]]\nnames = [\"*\"]\nroot = \"a\"\n[[site.rule]]\nheader = '^/'\nset = { X-V = \"1\" }\n";
        String v2 = "[[site]]\nnames = [\"*\"]\nroot = \"b\"\n[[site.rule]]\nrewrite = '^/x$'\nto = '/index.html'\n";
        Path f = config(v1);
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = serve(f, out, err);
        try {
            String url = null;
            long deadline = System.nanoTime() + 60_000_000_000L; // a JVM starting on a loaded machine
            while (url == null && System.nanoTime() < deadline) {
                Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/)").matcher(Files.readString(out));
                if (m.find()) url = m.group(1);
                else Thread.sleep(50);
            }
            assertTrue(url != null, "the server printed its URL: " + Files.readString(out) + Files.readString(err));
            // a request slower than wrk's 2 s default on a loaded machine is late, not failed: 10 s
            Process wrk = Wrk.paced(dir, 20, 6, url, "--timeout", "10s");
            List<String> versions = List.of(v2, v1, "[[site]]\nroot = 3\n", v2, v1, v2);
            for (String v : versions) {
                Thread.sleep(700);
                Files.writeString(f, v);
                assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor());
            }
            assertTrue(wrk.waitFor(30, TimeUnit.SECONDS), "wrk finished");
            String report = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher requests = Pattern.compile("(\\d+) requests in").matcher(report);
            assertTrue(requests.find() && Long.parseLong(requests.group(1)) > 100, report);
            assertFalse(report.contains("Socket errors"), report);
            assertFalse(report.contains("Non-2xx"), report);
            String stderr = Files.readString(err);
            assertEquals(1, stderr.lines().filter(l -> l.contains("reload failed, keeping the running config")).count(), stderr);
            assertTrue(stderr.contains("tenk.toml:1: site[1].names: missing"), stderr);
            assertEquals(versions.size() - 1, Files.readString(out).lines().filter(l -> l.startsWith("tenk: reloaded")).count(),
                    Files.readString(out));
            // the last version is live: /x is rewritten to b's index
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(15, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    /** Configs nested deeper than a stack allows: a pattern of 100,000 '(', arrays and inline tables 100,000 deep. */
    static final List<String> TOO_DEEP = List.of(
            "[[site]]\nnames = [\"*\"]\nroot = \"a\"\n[[site.rule]]\ndeny = '" + "(".repeat(100_000) + "'\n",
            "[[site]]\nnames = [\"*\"]\nroot = \"a\"\n[[site.rule]]\ndeny = '" + "(".repeat(100_000) + "a" + ")".repeat(100_000) + "'\n",
            "[server]\nx = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n",
            "[server]\nx = " + "{a=".repeat(50_000) + "1" + "}".repeat(50_000) + "\n");

    @Test void configsNestedTooDeeplyAreOneLineForCheckAndStart() throws IOException {
        for (String text : TOO_DEEP) {
            Path f = config(text);
            String expected = text.startsWith("[server]") ? f + ": TOML syntax: values nested too deeply"
                    : f + ":5: site[1].rule[1].deny: bad pattern: groups nested deeper than 1000 at index 1000";
            assertOneLineError(run("check", "--config", f.toString()), 2, expected);
            assertOneLineError(run("--config", f.toString(), "-p", "0"), 2, expected);
        }
    }

    /** A real server: SIGHUP with each too-deep config keeps the running one and says so in one line. */
    @Test void configsNestedTooDeeplyAreOneLineOnReload() throws Exception {
        String good = "[[site]]\nnames = [\"*\"]\nroot = \"a\"\n";
        Path f = config(good);
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = serve(f, out, err);
        try {
            awaitLines(out, "tenk: serving", 1);
            for (int i = 0; i < TOO_DEEP.size(); i++) {
                Files.writeString(f, TOO_DEEP.get(i));
                assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor());
                awaitLines(err, "tenk: reload failed, keeping the running config: " + f, i + 1);
            }
            String stderr = Files.readString(err);
            assertEquals(TOO_DEEP.size(), stderr.lines().count(), stderr);
            assertFalse(stderr.contains("Error") || stderr.contains("\tat "), stderr);
            assertTrue(p.isAlive());
        } finally {
            p.destroyForcibly();
            p.waitFor(15, TimeUnit.SECONDS);
        }
    }

    /** tenk --config f -p 0 -q in its own JVM, its output and errors to these files. */
    private static Process serve(Path f, Path out, Path err) throws IOException {
        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of()));
        cmd.addAll(List.of("--config", f.toString(), "-p", "0", "-q"));
        return new ProcessBuilder(cmd)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /** Waits (up to 30 s) until {@code file} has {@code count} lines starting with {@code prefix}. */
    private static void awaitLines(Path file, String prefix, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.readString(file).lines().filter(l -> l.startsWith(prefix)).count() < count) {
            assertTrue(System.nanoTime() < deadline, "waited for " + count + " x '" + prefix + "' in " + Files.readString(file));
            Thread.sleep(20); // polling a file for a condition, with a deadline
        }
    }

    private static boolean onPath(String cmd) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(":")) if (Files.isExecutable(Path.of(d, cmd))) return true;
        return false;
    }
}
