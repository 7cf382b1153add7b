package io.tenk.config;

import io.tenk.http.Limits;
import io.tenk.model.Models;
import io.tenk.rules.Outcome;
import io.tenk.rules.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading tenk.toml: a good file, and every kind of error as one file:line: key: message. */
class ConfigFileTest {
    @TempDir Path dir;

    static final String GOOD = """
            [server]
            listen = ["127.0.0.1:8080", "[::1]:8080"]
            model = "selector"
            access_log = false

            [limits]
            max_header_count = 50

            [timeouts]
            idle = "5s"
            write = 20
            header = "1500ms"

            [[site]]
            names = ["example.com", "*.example.com", "Shop.Example.NET."]
            root = "example"
            index = ["index.html", "index.htm"]

            [[site.rule]]
            redirect = '^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$'
            to = '/posts/\\g<year>/\\g<slug>/'
            status = 301

            [[site.rule]]
            rewrite = '^/docs/(.*)$'
            to = '/documentation/\\1'
            stop = true

            [[site.rule]]
            deny = '(?i)/\\.git(/|$)'
            status = 404

            [[site.rule]]
            header = '\\.(css|js|woff2)$'
            set = { "Cache-Control" = "public, max-age=31536000, immutable", "X-A" = "1" }
            add = { Vary = "Accept-Encoding" }

            [[site.rule]]
            fallback = "/index.html"

            [[site]]
            names = ["*"]          # the default site
            root = "default"
            """;

    private Path write(String text) throws IOException {
        Files.createDirectories(dir.resolve("example"));
        Files.createDirectories(dir.resolve("default"));
        return Files.writeString(dir.resolve("tenk.toml"), text);
    }

    private ServerConfig load(String text) throws IOException {
        return ConfigFile.load(write(text), ServerConfig.defaults(dir));
    }

    @Test void goodFile() throws IOException {
        ServerConfig c = load(GOOD);
        assertEquals(List.of(new Listen("127.0.0.1", 8080), new Listen("::1", 8080)), c.listen());
        assertEquals(ModelKind.SELECTOR, c.model());
        assertEquals(false, c.accessLog());
        assertEquals(new Limits(8 * 1024, 16 * 1024, 50), c.limits());
        assertEquals(Duration.ofSeconds(5), c.timeouts().idle());
        assertEquals(Duration.ofSeconds(20), c.timeouts().write());
        assertEquals(Duration.ofMillis(1500), c.timeouts().header());
        assertEquals(ServerConfig.DEFAULT_TIMEOUTS.body(), c.timeouts().body());
        assertEquals(2, c.sites().size());
        Site example = c.sites().get(0);
        assertEquals(List.of("example.com", "*.example.com", "shop.example.net"), example.names());
        assertEquals(dir.resolve("example").toAbsolutePath().normalize(), example.root());
        assertEquals(List.of("index.html", "index.htm"), example.index());
        // the header rule with three headers became three engine rules, all from line 32
        List<Rule> rules = example.rules().rules();
        assertEquals(List.of("redirect", "rewrite", "deny", "header", "header", "header", "fallback"),
                rules.stream().map(Rule::kind).toList());
        assertEquals(List.of(20, 25, 30, 34, 34, 34, 39), example.ruleLines());
        assertEquals(c.sites().get(1), c.defaultSite());
        assertEquals(dir.resolve("default").toAbsolutePath().normalize(), c.root());
        Outcome o = example.rules().evaluate("/blog/2024/hello.html");
        assertEquals("/posts/2024/hello/", assertInstanceOf(Outcome.Redirect.class, o).location());
        Outcome.Serve s = assertInstanceOf(Outcome.Serve.class, example.rules().evaluate("/docs/a"));
        assertEquals("/documentation/a", s.path());
        assertEquals(assertInstanceOf(Outcome.Serve.class, example.rules().evaluate("/x.css")).headers().size(), 3);
    }

    @Test void minWriteRateBesideTheTimeouts() throws IOException {
        assertEquals(Timeouts.DEFAULT_MIN_WRITE_RATE, load("").timeouts().minWriteRate());
        assertEquals(1000, load("[timeouts]\nmin_write_rate = 1000\n").timeouts().minWriteRate());
        assertEquals(0, load("[timeouts]\nmin_write_rate = 0\n").timeouts().minWriteRate());
    }

    @Test void emptyFileKeepsTheBase() throws IOException {
        ServerConfig base = ServerConfig.defaults(dir);
        ServerConfig c = ConfigFile.load(write("# nothing\n"), base);
        assertEquals(base, c);
    }

    @Test void defaultsAndSingleDefaultSite() throws IOException {
        ServerConfig c = load("""
                [[site]]
                names = ["a.test"]
                root = "example"
                [[site]]
                names = ["b.test"]
                root = "default"
                [[site.rule]]
                redirect = '^/old$'
                to = '/new'
                [[site.rule]]
                deny = '^/secret'
                """);
        assertEquals(c.sites().getFirst(), c.defaultSite(), "without *, the first site is the default");
        List<Rule> rules = c.sites().get(1).rules().rules();
        assertEquals(302, ((Rule.Redirect) rules.get(0)).status().code(), "redirect defaults to 302");
        assertEquals(403, ((Rule.Deny) rules.get(1)).status().code(), "deny defaults to 403");
        assertEquals(List.of(new Listen(ServerConfig.DEFAULT_BIND, ServerConfig.DEFAULT_PORT)), c.listen());
    }

    /** A file with an error: the expected line, key, and a fragment of the problem. */
    record Bad(String name, String toml, int line, String key, String problem) {
        @Override public String toString() { return name; }
    }

    static Stream<Bad> errors() {
        String site = "[[site]]\nnames = [\"*\"]\nroot = \"example\"\n";
        return Stream.of(
                new Bad("syntax", "[server]\nlisten = [\"a:1\"\nmodel = 1\n", 3, "", "TOML syntax"),
                new Bad("duplicate key", "[server]\nmodel = \"selector\"\nmodel = \"selector\"\n", 3, "", "TOML syntax"),
                new Bad("unknown top-level table", "[sever]\nlisten = []\n", 1, "sever", "unknown key"),
                new Bad("unknown server key", "[server]\nlisen = [\"127.0.0.1:80\"]\n", 2, "server.lisen", "unknown key (expected listen, model, threads, queue, selector, workers, tcp_nopush, reuseport, access_log, log_format)"),
                new Bad("unknown site key", site + "roots = \"x\"\n", 4, "site[1].roots", "unknown key"),
                new Bad("unknown rule key", site + "[[site.rule]]\ndeny = 'x'\nstatuss = 404\n", 6, "site[1].rule[1].statuss", "unknown key"),
                new Bad("listen not an array", "[server]\nlisten = \"127.0.0.1:80\"\n", 2, "server.listen", "expected an array, found a string"),
                new Bad("listen item not a string", "[server]\nlisten = [\n  \"127.0.0.1:80\",\n  80,\n]\n", 4, "server.listen[2]", "expected a string, found an integer"),
                new Bad("listen without port", "[server]\nlisten = [\"127.0.0.1\"]\n", 2, "server.listen[1]", "expected host:port"),
                new Bad("listen port out of range", "[server]\nlisten = [\"[::1]:70000\"]\n", 2, "server.listen[1]", "out of range"),
                new Bad("listen v6 without brackets", "[server]\nlisten = [\"::1:80\"]\n", 2, "server.listen[1]", "brackets"),
                new Bad("listen twice", "[server]\nlisten = [\"127.0.0.1:80\", \"127.0.0.1:80\"]\n", 2, "server.listen[2]", "listed twice"),
                new Bad("listen empty", "[server]\nlisten = []\n", 2, "server.listen", "at least one"),
                new Bad("unknown model", "[server]\nmodel = \"forking\"\n", 2, "server.model", "unknown model 'forking'"),
                new Bad("model not a string", "[server]\nmodel = 3\n", 2, "server.model", "expected a string, found an integer"),
                new Bad("access_log not a boolean", "[server]\naccess_log = \"yes\"\n", 2, "server.access_log", "expected true or false"),
                new Bad("limit out of range", "[limits]\nmax_header_count = 0\n", 2, "limits.max_header_count", "out of range"),
                new Bad("limit wrong type", "[limits]\nmax_request_line = 1.5\n", 2, "limits.max_request_line", "expected an integer, found a float"),
                new Bad("bad duration", "[timeouts]\nidle = \"5 sec\"\n", 2, "timeouts.idle", "bad duration"),
                new Bad("zero duration", "[timeouts]\nidle = 0\n", 2, "timeouts.idle", "out of range"),
                new Bad("negative write rate", "[timeouts]\nmin_write_rate = -1\n", 2, "timeouts.min_write_rate", "out of range"),
                new Bad("site is not an array of tables", "site = 1\n", 1, "site", "expected [[site]] tables"),
                new Bad("site without names", "[[site]]\nroot = \"example\"\n", 1, "site[1].names", "missing"),
                new Bad("site without root", "[[site]]\nnames = [\"*\"]\n", 1, "site[1].root", "missing"),
                new Bad("root missing on disk", "[[site]]\nnames = [\"*\"]\nroot = \"nope\"\n", 3, "site[1].root", "does not exist"),
                new Bad("root is a file", "[[site]]\nnames = [\"*\"]\nroot = \"tenk.toml\"\n", 3, "site[1].root", "is not a directory"),
                new Bad("root wrong type", "[[site]]\nnames = [\"*\"]\nroot = 7\n", 3, "site[1].root", "expected a string"),
                new Bad("bad name", "[[site]]\nnames = [\"exa mple.com\"]\nroot = \"example\"\n", 2, "site[1].names[1]", "bad server name"),
                new Bad("name twice", site + "[[site]]\nnames = [\"a.test\",\n \"A.test.\"]\nroot = \"example\"\n", 6, "site[2].names[2]", "listed twice"),
                new Bad("name in two sites", "[[site]]\nnames = [\"a.test\"]\nroot = \"example\"\n[[site]]\nnames = [\"A.TEST\"]\nroot = \"example\"\n", 5, "site[2].names[1]", "already a name of site[1]"),
                new Bad("two default sites", site + "[[site]]\nnames = [\"*\"]\nroot = \"example\"\n", 5, "site[2].names[1]", "a second default site"),
                new Bad("bad index", site + "index = [\"../x\"]\n", 4, "site[1].index[1]", "bad index file name"),
                new Bad("rule without kind", site + "[[site.rule]]\nto = '/x'\n", 4, "site[1].rule[1]", "needs one of"),
                new Bad("rule with two kinds", site + "[[site.rule]]\ndeny = 'x'\nrewrite = 'y'\n", 4, "site[1].rule[1]", "exactly one"),
                new Bad("bad pattern", site + "[[site.rule]]\n\nredirect = '^/(a'\nto = '/b'\n", 6, "site[1].rule[1].redirect", "bad pattern: missing )"),
                new Bad("bad redirect status", site + "[[site.rule]]\nredirect = '^/a'\nto = '/b'\nstatus = 300\n", 7, "site[1].rule[1].status", "bad status 300 (expected 301, 302, 303, 307 or 308)"),
                new Bad("status wrong type", site + "[[site.rule]]\ndeny = '^/a'\nstatus = \"404\"\n", 6, "site[1].rule[1].status", "expected an integer, found a string"),
                new Bad("bad deny status", site + "[[site.rule]]\ndeny = '^/a'\nstatus = 401\n", 6, "site[1].rule[1].status", "expected 403 or 404"),
                new Bad("redirect without to", site + "[[site.rule]]\nredirect = '^/a'\n", 4, "site[1].rule[1].to", "missing"),
                new Bad("redirect to another host by path", site + "[[site.rule]]\nredirect = '^/a'\nto = '//evil.test/'\n", 6, "site[1].rule[1].to", "single '/'"),
                new Bad("bad group reference", site + "[[site.rule]]\nrewrite = '^/(a)'\nto = '/\\2'\n", 6, "site[1].rule[1].to", "invalid group reference 2"),
                new Bad("rewrite not a path", site + "[[site.rule]]\nrewrite = '^/a'\nto = 'b'\n", 6, "site[1].rule[1].to", "must start with '/'"),
                new Bad("stop not a boolean", site + "[[site.rule]]\nrewrite = '^/a'\nto = '/b'\nstop = 1\n", 7, "site[1].rule[1].stop", "expected true or false"),
                new Bad("header without set", site + "[[site.rule]]\nheader = 'x'\n", 5, "site[1].rule[1].header", "needs set"),
                new Bad("header bad name", site + "[[site.rule]]\nheader = 'x'\nset = { \"Bad Name\" = \"v\" }\n", 6, "site[1].rule[1].set.\"Bad Name\"", "bad header name"),
                new Bad("header value not a string", site + "[[site.rule]]\nheader = 'x'\nset = { X-A = 1 }\n", 6, "site[1].rule[1].set.X-A", "expected a string"),
                new Bad("header managed by tenk", site + "[[site.rule]]\nheader = 'x'\nset = { Content-Length = \"1\" }\n", 6, "site[1].rule[1].set.Content-Length", "tenk sets"),
                new Bad("fallback bad match", site + "[[site.rule]]\nfallback = '/i.html'\nmatch = '[a'\n", 6, "site[1].rule[1].match", "bad pattern"),
                new Bad("fallback not a path", site + "[[site.rule]]\nfallback = 'i.html'\n", 5, "site[1].rule[1].fallback", "must start with '/'"),
                new Bad("second site's rule", site + "[[site]]\nnames = [\"b.test\"]\nroot = \"default\"\n[[site.rule]]\ndeny = '^/a'\n[[site.rule]]\ndeny = '^/b'\nstatus = 500\n", 11, "site[2].rule[2].status", "bad status 500"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorNamesFileLineAndKey(Bad bad) throws IOException {
        Path file = write(bad.toml());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFile.load(file, ServerConfig.defaults(dir)));
        assertEquals(bad.line(), e.line(), e.getMessage());
        assertEquals(bad.key(), e.key(), e.getMessage());
        assertTrue(e.problem().contains(bad.problem()), e.getMessage());
        String prefix = file + ":" + bad.line() + ":" + (bad.key().isEmpty() ? "" : " " + bad.key() + ":") + " ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage() + " starts with " + prefix);
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    @Test void missingFileAndDirectory() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFile.load(dir.resolve("nope.toml"), ServerConfig.defaults(dir)));
        assertEquals(dir.resolve("nope.toml") + ": no such file", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigFile.load(dir, ServerConfig.defaults(dir)));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test void durations() {
        assertEquals(Duration.ofMillis(250), ConfigFile.parseDuration("250ms"));
        assertEquals(Duration.ofSeconds(3), ConfigFile.parseDuration("3s"));
        assertEquals(Duration.ofMinutes(2), ConfigFile.parseDuration("2m"));
        assertEquals(Duration.ofHours(1), ConfigFile.parseDuration("1h"));
        assertEquals(null, ConfigFile.parseDuration("1d"));
        assertEquals(null, ConfigFile.parseDuration("-1s"));
    }

    @Test void listenParsing() {
        assertEquals(new Listen("::1", 8080), Listen.parse("[::1]:8080"));
        assertEquals("[::1]:8080", Listen.parse("[::1]:8080").toString());
        assertEquals(new Listen("0.0.0.0", 0), Listen.parse("0.0.0.0:0"));
        assertEquals(new Listen("localhost", 80), Listen.parse("localhost:80"));
        for (String bad : List.of("", ":80", "[::1]", "[::1]80", "a:b", "a:-1", "[zz]:1", "a b:1")) {
            assertThrows(IllegalArgumentException.class, () -> Listen.parse(bad), bad);
        }
    }
}
