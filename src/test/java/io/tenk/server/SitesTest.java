package io.tenk.server;

import io.tenk.TenkServer;
import io.tenk.config.ConfigFile;
import io.tenk.config.ServerConfig;
import io.tenk.model.Models;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two sites chosen by Host, every rule type, several listen addresses and reload, over real sockets. */
class SitesTest {
    @TempDir Path dir;
    private TenkServer server;
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    static final String CONFIG = """
            [server]
            listen = ["127.0.0.1:0"%s]

            [[site]]
            names = ["a.test", "*.a.test"]
            root = "a"

            [[site.rule]]
            deny = '^/slow/(a*)*\\1b$'

            [[site.rule]]
            redirect = '^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$'
            to = '/posts/\\g<year>/\\g<slug>/'
            status = 301

            [[site.rule]]
            redirect = '^/moved$'
            to = 'https://elsewhere.test/new?from=a'
            status = 308

            [[site.rule]]
            rewrite = '^/docs/(.*)$'
            to = '/documentation/\\1'

            [[site.rule]]
            deny = '(?i)/\\.git(/|$)'
            status = 404

            [[site.rule]]
            deny = '^/private/'

            [[site.rule]]
            header = '\\.(css|js|woff2)$'
            set = { "Cache-Control" = "public, max-age=31536000, immutable" }

            [[site.rule]]
            header = '^/'
            add = { X-Site = "a" }

            [[site.rule]]
            fallback = "/app.html"
            match = '^/app/'

            [[site]]
            names = ["*"]
            root = "b"
            """;

    @BeforeEach void files() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("index.html"), "A home\n");
        Files.writeString(a.resolve("app.html"), "A app\n");
        Files.writeString(a.resolve("style.css"), "body{}\n");
        Files.createDirectories(a.resolve("documentation"));
        Files.writeString(a.resolve("documentation/x.html"), "A docs\n");
        Files.createDirectories(a.resolve("private"));
        Files.writeString(a.resolve("private/p.txt"), "secret\n");
        Files.writeString(b.resolve("index.html"), "B home\n");
    }

    private ServerConfig config(String extraListen) throws IOException {
        Path file = Files.writeString(dir.resolve("tenk.toml"), CONFIG.formatted(extraListen));
        return ConfigFile.load(file, ServerConfig.defaults(dir).with(b -> b.accessLog(false)));
    }

    private void start(ServerConfig c) throws IOException {
        server = TenkServer.start(c, AccessLog.disabled(), new ErrorLog(new PrintStream(errors, true, StandardCharsets.UTF_8), false));
    }

    @AfterEach void stop() {
        if (server != null) server.close();
    }

    private HttpReply get(InetSocketAddress at, String path, String host) throws IOException {
        try (RawClient c = new RawClient(at)) {
            c.send("GET " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n") + "Connection: close\r\n\r\n");
            return c.read();
        }
    }

    private HttpReply get(String path, String host) throws IOException { return get(server.address(), path, host); }

    @Test void hostChoosesTheSite() throws IOException {
        start(config(""));
        assertEquals("A home\n", get("/", "a.test").bodyText());
        assertEquals("A home\n", get("/", "WWW.A.Test.:8080").bodyText());
        assertEquals("B home\n", get("/", "b.test").bodyText());
        assertEquals("B home\n", get("/", "127.0.0.1").bodyText());
        try (RawClient c = new RawClient(server.address())) {
            c.send("GET / HTTP/1.0\r\n\r\n");
            assertEquals("B home\n", c.read().bodyText(), "no Host: the default site");
        }
        assertEquals(400, get("/", "a b").status(), "an invalid Host is refused by the parser");
        // the default site has no rules: nothing is rewritten or denied there
        assertEquals(404, get("/docs/x.html", "b.test").status());
    }

    @Test void everyRuleTypeThroughARealClient() throws IOException {
        start(config(""));
        HttpReply r = get("/blog/2024/hello.html?utm=x&y=1", "a.test");
        assertEquals(301, r.status());
        assertEquals("/posts/2024/hello/?utm=x&y=1", r.header("Location"), "the query string is appended");
        assertNull(r.header("X-Site"), "a header rule after the redirect rule is not reached");

        r = get("/moved?q=1", "a.test");
        assertEquals(308, r.status());
        assertEquals("https://elsewhere.test/new?from=a", r.header("Location"), "a target with its own query keeps only it");

        r = get("/docs/x.html", "a.test");
        assertEquals(200, r.status());
        assertEquals("A docs\n", r.bodyText());

        assertEquals(404, get("/.git/config", "a.test").status());
        assertEquals(404, get("/%2Egit/HEAD", "a.test").status(), "patterns see the decoded path");
        assertEquals(403, get("/private/p.txt", "a.test").status());

        r = get("/style.css", "a.test");
        assertEquals(200, r.status());
        assertEquals("public, max-age=31536000, immutable", r.header("Cache-Control"));
        assertEquals("a", r.header("X-Site"));
        r = get("/", "a.test");
        assertEquals("no-cache", r.header("Cache-Control"), "the css/js rule does not touch HTML, which revalidates");
        r = get("/missing.css", "a.test");
        assertEquals(404, r.status());
        assertNull(r.header("Cache-Control"), "header rules skip error responses");

        r = get("/app/settings/42", "a.test");
        assertEquals(200, r.status(), "fallback when the path is not a file");
        assertEquals("A app\n", r.bodyText());
        assertEquals(404, get("/elsewhere/42", "a.test").status(), "the fallback only covers its pattern");
        assertEquals(400, get("/%C0%AF", "a.test").status(), "a path that is not UTF-8 once decoded");
        assertEquals(403, get("//private/p.txt", "a.test").status(), "rules see the normalised path");
    }

    @Test void budgetOverrunIs500AndOneLogLine() throws IOException {
        start(config(""));
        HttpReply r = get("/slow/" + "a".repeat(40), "a.test");
        assertEquals(500, r.status());
        String log = errors.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.lines().count(), log);
        assertTrue(log.contains("rule 1 (deny)") && log.contains("budget"), log);
        assertTrue(!log.contains("aaaa"), "the log line does not quote the path: " + log);
        assertEquals(200, get("/", "a.test").status(), "the server goes on");
    }

    @Test void budgetOverrunLinesAreRateLimited() throws IOException {
        start(config(""));
        long t0 = System.nanoTime();
        int n = 30;
        for (int i = 0; i < n; i++) assertEquals(500, get("/slow/" + "a".repeat(40), "a.test").status());
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        long lines = errors.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("budget")).count();
        assertTrue(lines >= 1 && lines <= seconds + 1, lines + " lines in " + seconds + " s for " + n + " overruns");
    }

    @Test void severalListenAddressesIncludingIpv6() throws Exception {
        boolean v6 = hasIpv6Loopback();
        start(config(v6 ? ", \"[::1]:0\"" : ", \"127.0.0.1:0\""));
        List<InetSocketAddress> at = server.addresses();
        assertEquals(2, at.size());
        assertEquals("A home\n", get(at.get(0), "/", "a.test").bodyText());
        HttpReply r = get(at.get(1), "/", v6 ? "[::1]:" + at.get(1).getPort() : "a.test");
        assertEquals(v6 ? "B home\n" : "A home\n", r.bodyText());
        if (v6) assertTrue(at.get(1).getAddress() instanceof Inet6Address);
    }

    @Test void reloadSwapsSitesAndRules() throws IOException {
        ServerConfig first = config("");
        start(first);
        assertEquals(404, get("/.git/config", "a.test").status());
        try (RawClient kept = new RawClient(server.address())) {
            kept.send("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertEquals("A home\n", kept.read().bodyText());
            Files.writeString(dir.resolve("tenk.toml"), """
                    [[site]]
                    names = ["*"]
                    root = "b"
                    [[site.rule]]
                    rewrite = '^/other$'
                    to = '/index.html'
                    """);
            ServerConfig next = ConfigFile.load(dir.resolve("tenk.toml"), first);
            assertEquals(List.of(), server.reload(next));
            kept.send("GET /other HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertEquals("B home\n", kept.read().bodyText(), "the open connection sees the new sites");
        }
        List<String> warnings = server.reload(first.with(b -> b.port(1234)));
        assertEquals(List.of("listen addresses changed: restart to apply"), warnings);
        assertEquals("A home\n", get("/", "a.test").bodyText());
    }

    static boolean hasIpv6Loopback() {
        try {
            for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
                for (InetAddress a : ni.inetAddresses().toList()) {
                    if (a instanceof Inet6Address && a.isLoopbackAddress()) return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
