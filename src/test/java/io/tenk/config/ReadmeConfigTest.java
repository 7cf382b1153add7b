package io.tenk.config;

import io.tenk.TenkServer;
import io.tenk.handler.Handler;
import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Version;
import io.tenk.rules.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's config examples parse as written (roots moved to a temp folder) and do what it says. */
class ReadmeConfigTest {
    @TempDir Path dir;

    static List<String> tomlBlocks() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("```toml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The block with its /srv/… roots moved under the temp folder (created). */
    private Path materialize(String block, String name) throws IOException {
        Matcher roots = Pattern.compile("root = \"/srv/([a-z]+)\"").matcher(block);
        while (roots.find()) Files.createDirectories(dir.resolve(roots.group(1)));
        String text = block.replace("\"/srv/", "\"" + dir.toString().replace("\\", "/") + "/");
        return Files.writeString(dir.resolve(name), text);
    }

    private ServerConfig load(Path file) {
        return ConfigFile.load(file, ServerConfig.defaults(dir));
    }

    @Test void mainExampleParsesAndCheckAcceptsIt() throws Exception {
        String block = tomlBlocks().getFirst();
        assertTrue(block.contains("model = \"reactor\"") && block.contains("[[site.rule]]"), block);
        Path file = materialize(block, "tenk.toml");
        ServerConfig c = load(file);
        assertEquals(List.of(new Listen("127.0.0.1", 8080), new Listen("::1", 8080)), c.listen());
        assertEquals(2, c.sites().size());
        Site example = c.sites().getFirst();
        assertEquals("/posts/2024/hi/", assertInstanceOf(Outcome.Redirect.class, example.rules().evaluate("/blog/2024/hi.html")).location());
        assertEquals("/documentation/a", assertInstanceOf(Outcome.Serve.class, example.rules().evaluate("/docs/a")).path());
        assertInstanceOf(Outcome.Deny.class, example.rules().evaluate("/.GIT/config"));
        assertEquals(c.sites().get(1), c.defaultSite());

        // tenk check on the file as written (roots moved)
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = io.tenk.cli.Main.run(new String[] {"check", "--config", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("is ok"));
    }

    /** The README's `tenk rules test` example, run as written against its main config example. */
    @Test void rulesTestExampleAsWritten() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("`tenk rules test --config tenk.toml ([^`]+)`").matcher(readme);
        assertTrue(m.find(), "the README shows a rules test example");
        Path file = materialize(tomlBlocks().getFirst(), "tenk.toml");
        List<String> args = new ArrayList<>(List.of("rules", "test", "--config", file.toString()));
        args.addAll(List.of(m.group(1).trim().split("\\s+")));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = io.tenk.cli.Main.run(args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        // each URL reaches the example.com site and the rule the README's text describes
        assertTrue(text.contains("/posts/2024/hi/"), text);
        assertTrue(text.contains("/documentation/x"), text);
    }

    @Test void cleanUrlsExample() throws IOException {
        String block = tomlBlocks().stream().filter(b -> b.contains("'/\\1.html'")).findFirst().orElseThrow();
        Site site = load(materialize(block, "clean.toml")).sites().getFirst();
        Path root = site.root();
        Files.writeString(root.resolve("about.html"), "about\n");
        Files.writeString(root.resolve("index.html"), "home\n");
        Files.writeString(root.resolve("style.css"), "css\n");
        Files.createDirectories(root.resolve("blog"));
        Files.writeString(root.resolve("blog/index.html"), "blog\n");
        Files.writeString(root.resolve("blog/first.html"), "first\n");
        Handler h = TenkServer.siteHandlerForTools(site);
        assertServes(h, "/about", root.resolve("about.html"));
        assertServes(h, "/blog/first", root.resolve("blog/first.html"));
        assertServes(h, "/style.css", root.resolve("style.css"));
        assertServes(h, "/", root.resolve("index.html"));
        assertServes(h, "/blog/", root.resolve("blog/index.html"));
        Response r = h.handle(get("/about.html", "x=1"));
        assertEquals(301, r.status().code());
        assertEquals("/about?x=1", r.headers().get("Location"));
        assertEquals("/blog/first", h.handle(get("/blog/first.html", null)).headers().get("Location"));
        assertEquals(404, h.handle(get("/nothing", null)).status().code());
    }

    @Test void languagePrefixExample() throws IOException {
        String block = tomlBlocks().stream().filter(b -> b.contains("/en/")).findFirst().orElseThrow();
        Site site = load(materialize(block, "lang.toml")).sites().getFirst();
        record Case(String path, String location) {}
        for (Case c : List.of(new Case("/", "/en/"), new Case("/about", "/en/about"), new Case("/english/x", "/en/english/x"),
                new Case("/en/about", null), new Case("/fr/", null), new Case("/de", null))) {
            Outcome o = site.rules().evaluate(c.path());
            if (c.location() == null) assertInstanceOf(Outcome.Serve.class, o, c.path());
            else assertEquals(c.location(), assertInstanceOf(Outcome.Redirect.class, o, c.path()).location());
        }
    }

    private static Request get(String path, String query) {
        Headers h = new Headers(2).add("Host", "x.test");
        return new Request(Method.GET, "GET", path, path, query, Version.HTTP_1_1, h, "x.test", true, 0);
    }

    private static void assertServes(Handler h, String path, Path file) throws IOException {
        Response r = h.handle(get(path, null));
        assertEquals(200, r.status().code(), path);
        assertEquals(file.toRealPath(), assertInstanceOf(Body.FileRegion.class, r.body(), path).path(), path);
    }
}
