package io.tenk.server;

import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --watch}: the script in HTML pages, the version endpoint, and validators kept apart from plain mode. */
class LiveReloadTest {
    @TempDir static Path root;
    static TestServer live, plain;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll static void start() throws Exception {
        Files.writeString(root.resolve("index.html"), "<!doctype html><html><body><p>v1</p></BODY></html>\n");
        Files.writeString(root.resolve("bare.html"), "<p>no body tag</p>");
        Files.writeString(root.resolve("app.js"), "console.log(1)\n".repeat(200));
        Files.createDirectories(root.resolve("sub"));
        live = TestServer.start(TestServer.config(root).with(b -> b.liveReload(true)));
        plain = TestServer.start(TestServer.config(root));
    }

    @AfterAll static void stop() {
        live.close();
        plain.close();
    }

    static HttpResponse<String> get(TestServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path));
        if (headers.length > 0) b.headers(headers);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static long version() throws Exception {
        HttpResponse<String> r = get(live, "/.tenk/live");
        assertEquals(200, r.statusCode());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
        Matcher m = Pattern.compile("^\\{\"version\":(\\d+)}$").matcher(r.body());
        assertTrue(m.find(), r.body());
        return Long.parseLong(m.group(1));
    }

    @Test void pagesGetTheScriptBeforeTheirLastBodyTag() throws Exception {
        HttpResponse<String> r = get(live, "/");
        assertEquals(200, r.statusCode());
        String body = r.body();
        int script = body.indexOf("<script>/* tenk --watch");
        assertTrue(script > 0 && body.indexOf("</BODY>") > script, body);
        assertTrue(body.startsWith("<!doctype html><html><body><p>v1</p><script>"), body);
        assertEquals(body.getBytes(StandardCharsets.UTF_8).length,
                Long.parseLong(r.headers().firstValue("Content-Length").orElseThrow()));
        assertTrue(get(live, "/bare.html").body().matches("<p>no body tag</p><script>.*</script>"), "appended when there is no </body>");
        // other files are as they are
        assertEquals(Files.readString(root.resolve("app.js")), get(live, "/app.js").body());
        assertFalse(get(plain, "/").body().contains("<script>"), "off by default");
    }

    @Test void theInjectedCopyIsAnotherRepresentation() throws Exception {
        HttpResponse<String> p = get(plain, "/");
        HttpResponse<String> l = get(live, "/");
        String plainTag = p.headers().firstValue("ETag").orElseThrow();
        String liveTag = l.headers().firstValue("ETag").orElseThrow();
        assertNotEquals(plainTag, liveTag);
        assertTrue(liveTag.endsWith("-live\""), liveTag);
        assertNull(l.headers().firstValue("Last-Modified").orElse(null));
        // a copy cached in one mode never answers 304 in the other
        assertEquals(200, get(live, "/", "If-None-Match", plainTag).statusCode());
        assertEquals(200, get(plain, "/", "If-None-Match", liveTag).statusCode());
        HttpResponse<String> fromCache = get(live, "/", "If-None-Match", liveTag,
                "If-Modified-Since", p.headers().firstValue("Last-Modified").orElseThrow());
        assertEquals(200, fromCache.statusCode());
        assertTrue(fromCache.body().contains("<script>"));
        // a range of a page is the whole page in this mode: the script changes its length
        HttpResponse<String> range = get(live, "/", "Range", "bytes=0-3");
        assertEquals(200, range.statusCode());
        assertTrue(range.body().contains("<script>"));
    }

    @Test void theVersionGrowsWhenAFileChangesAndPagesCarryIt() throws Exception {
        long before = version();
        assertTrue(get(live, "/").body().contains("const v=" + before + ";"));
        Files.writeString(root.resolve("sub").resolve("new.css"), "p{}");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (version() == before) {
            assertTrue(System.nanoTime() < deadline, "a change is seen within 5 s");
            Thread.sleep(10);
        }
        long after = version();
        Files.createDirectories(root.resolve("sub").resolve("deeper"));
        while (version() == after) {
            assertTrue(System.nanoTime() < deadline, "a new directory is seen");
            Thread.sleep(10);
        }
        long withDir = version();
        Files.writeString(root.resolve("sub").resolve("deeper").resolve("x.txt"), "x");
        while (version() == withDir) {
            assertTrue(System.nanoTime() < deadline, "a change in a directory created later is seen");
            Thread.sleep(10);
        }
        assertEquals(404, get(plain, "/.tenk/live").statusCode(), "no endpoint without --watch");
    }
}
