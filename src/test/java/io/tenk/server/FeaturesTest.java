package io.tenk.server;

import io.tenk.config.ServerConfig;
import io.tenk.handler.SiteOptions;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The features people expect of a static server, through the JDK's HttpClient against a real server. */
class FeaturesTest {
    @TempDir Path root;
    TestServer server;
    final HttpClient http = HttpClient.newHttpClient();
    String css;

    @BeforeEach void site() throws IOException {
        css = "body { color: #333; margin: 0 auto; }\n".repeat(200); // ~7.8 KiB, compresses well
        Files.writeString(root.resolve("index.html"), "<!DOCTYPE html><title>home</title><p>home</p>\n");
        Files.writeString(root.resolve("style.css"), css);
        Files.writeString(root.resolve("small.css"), "a{}\n");
        Files.write(root.resolve("photo.png"), new byte[4096]);
        Files.createDirectories(root.resolve("files/sub"));
        Files.writeString(root.resolve("files/<img src=x onerror=alert(1)>.txt"), "evil name\n");
        Files.writeString(root.resolve("files/a b&c.txt"), "x".repeat(3000));
        Files.writeString(root.resolve("files/.secret"), "hidden");
        Files.createDirectories(root.resolve("files/.git"));
        Files.writeString(root.resolve("files/sub/index.html"), "<p>sub</p>");
    }

    @AfterEach void stop() { if (server != null) server.close(); }

    void start(UnaryOperator<SiteOptions> site) throws IOException {
        ServerConfig c = TestServer.config(root).with(b -> b.accessLog(false));
        server = TestServer.start(c.with(b -> b.site(site.apply(c.site()))));
    }

    HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception { return send("GET", path, headers); }

    static String h(HttpResponse<?> r, String name) { return r.headers().firstValue(name).orElse(null); }

    static byte[] gunzip(byte[] b) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) { return in.readAllBytes(); }
    }

    // ---- compression ----

    @Test void gzipOnTheFlyWithVaryAndItsOwnEtag() throws Exception {
        start(s -> s);
        HttpResponse<byte[]> plain = get("/style.css");
        HttpResponse<byte[]> gz = get("/style.css", "Accept-Encoding", "gzip, deflate");
        assertNull(h(plain, "Content-Encoding"));
        assertEquals("Accept-Encoding", h(plain, "Vary"));
        assertEquals(css, new String(plain.body(), StandardCharsets.UTF_8));
        assertEquals("gzip", h(gz, "Content-Encoding"));
        assertEquals("Accept-Encoding", h(gz, "Vary"));
        assertTrue(gz.body().length < css.length() / 4, "compressed: " + gz.body().length);
        assertEquals(String.valueOf(gz.body().length), h(gz, "Content-Length"));
        assertEquals(css, new String(gunzip(gz.body()), StandardCharsets.UTF_8));
        assertNotEquals(h(plain, "ETag"), h(gz, "ETag"));
        // revalidation per encoding
        assertEquals(304, get("/style.css", "Accept-Encoding", "gzip", "If-None-Match", h(gz, "ETag")).statusCode());
        assertEquals(200, get("/style.css", "Accept-Encoding", "gzip", "If-None-Match", h(plain, "ETag")).statusCode());
        // a range of the gzip representation is a range of its bytes
        HttpResponse<byte[]> part = get("/style.css", "Accept-Encoding", "gzip", "Range", "bytes=0-9");
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOf(gz.body(), 10), part.body());
        // HEAD announces the same length
        HttpResponse<byte[]> head = send("HEAD", "/style.css", "Accept-Encoding", "gzip");
        assertEquals(h(gz, "Content-Length"), h(head, "Content-Length"));
    }

    @Test void notCompressedWhenSmallIncompressibleRefusedOrOff() throws Exception {
        start(s -> s);
        assertNull(h(get("/small.css", "Accept-Encoding", "gzip"), "Content-Encoding"));
        assertNull(h(get("/photo.png", "Accept-Encoding", "gzip"), "Content-Encoding"));
        assertNull(h(get("/photo.png", "Accept-Encoding", "gzip"), "Vary"));
        assertNull(h(get("/style.css", "Accept-Encoding", "gzip;q=0, br"), "Content-Encoding"));
        assertNull(h(get("/style.css", "Accept-Encoding", "identity"), "Content-Encoding"));
        assertEquals("gzip", h(get("/style.css", "Accept-Encoding", "identity;q=0, *"), "Content-Encoding"));
        server.close();
        start(s -> s.with(o -> o.compression(false)));
        HttpResponse<byte[]> r = get("/style.css", "Accept-Encoding", "gzip");
        assertNull(h(r, "Content-Encoding"));
        assertNull(h(r, "Vary"));
    }

    @Test void precompressedSiblingsArePreferredAndRangeable() throws Exception {
        byte[] br = "pretend-brotli-bytes-0123456789".getBytes(StandardCharsets.US_ASCII);
        Files.write(root.resolve("style.css.br"), br);
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) { g.write(css.getBytes(StandardCharsets.UTF_8)); }
        Files.write(root.resolve("style.css.gz"), bo.toByteArray());
        start(s -> s);
        HttpResponse<byte[]> r = get("/style.css", "Accept-Encoding", "gzip, br");
        assertEquals("br", h(r, "Content-Encoding"));
        assertEquals("text/css; charset=utf-8", h(r, "Content-Type"));
        assertArrayEquals(br, r.body());
        assertTrue(h(r, "ETag").endsWith("-br\""), h(r, "ETag"));
        HttpResponse<byte[]> part = get("/style.css", "Accept-Encoding", "br", "Range", "bytes=8-14");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 8-14/" + br.length, h(part, "Content-Range"));
        assertEquals("brotli-", new String(part.body(), StandardCharsets.US_ASCII));
        HttpResponse<byte[]> gz = get("/style.css", "Accept-Encoding", "gzip");
        assertEquals("gzip", h(gz, "Content-Encoding"));
        assertArrayEquals(bo.toByteArray(), gz.body());
        // a sibling older than its file is stale: not used
        Files.setLastModifiedTime(root.resolve("style.css.br"), FileTime.fromMillis(1_000_000_000_000L));
        server.close();
        start(s -> s);
        assertNotEquals("br", h(get("/style.css", "Accept-Encoding", "br"), "Content-Encoding"));
    }

    // ---- listings ----

    @Test void listingEscapesNamesEncodesLinksAndHidesDotfiles() throws Exception {
        start(s -> s);
        HttpResponse<byte[]> r = get("/files/", "Accept", "text/html");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", h(r, "Content-Type"));
        String html = new String(r.body(), StandardCharsets.UTF_8);
        assertFalse(html.contains("<img src=x"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;.txt"), html);
        assertTrue(html.contains("href=\"%3Cimg%20src=x%20onerror=alert(1)%3E.txt\""), html);
        assertTrue(html.contains("href=\"a%20b&c.txt\"") || html.contains("href=\"a%20b&amp;c.txt\""), html);
        assertTrue(html.contains("a b&amp;c.txt"), html);
        assertTrue(html.contains("2.9 KiB"), html);
        assertFalse(html.contains(".secret") || html.contains(".git"), html);
        assertTrue(h(r, "Content-Security-Policy").contains("default-src 'none'"));
        // the link downloads the file
        HttpResponse<byte[]> f = get("/files/%3Cimg%20src=x%20onerror=alert(1)%3E.txt");
        assertEquals(200, f.statusCode());
        assertEquals("text/plain; charset=utf-8", h(f, "Content-Type"));
        assertEquals("evil name\n", new String(f.body(), StandardCharsets.UTF_8));
        // a directory with an index serves it; the root has one too
        assertEquals("<p>sub</p>", new String(get("/files/sub/").body(), StandardCharsets.UTF_8));
    }

    @Test void listingAsJson() throws Exception {
        start(s -> s);
        HttpResponse<byte[]> r = get("/files/", "Accept", "application/json");
        assertEquals("application/json; charset=utf-8", h(r, "Content-Type"));
        String json = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"path\":\"/files/\",\"entries\":[{\"name\":\"sub\",\"type\":\"directory\""), json);
        assertTrue(json.contains("{\"name\":\"\\u003cimg src=x onerror=alert(1)\\u003e.txt\",\"type\":\"file\",\"size\":10,"), json);
        assertFalse(json.contains("secret"), json);
    }

    @Test void noListTurnsListingsOff() throws Exception {
        start(s -> s.with(o -> o.listing(false)));
        assertEquals(404, get("/files/").statusCode());
    }

    // ---- error pages, SPA ----

    @Test void siteErrorPageServedWithItsStatus() throws Exception {
        Files.writeString(root.resolve("404.html"), "<h1>Nothing here, sorry</h1>");
        start(s -> s.with(o -> o.listing(false)));
        HttpResponse<byte[]> r = get("/missing.txt");
        assertEquals(404, r.statusCode());
        assertEquals("<h1>Nothing here, sorry</h1>", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("text/html; charset=utf-8", h(r, "Content-Type"));
        assertEquals(404, get("/files/").statusCode());
        assertEquals(405, send("DELETE", "/index.html").statusCode());
    }

    @Test void spaFallsBackToIndexForPagesOnly() throws Exception {
        start(s -> s.with(o -> o.spa(true)));
        HttpResponse<byte[]> page = get("/app/settings/profile", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("<p>home</p>"));
        assertEquals(404, get("/assets/missing.js", "Accept", "*/*").statusCode());
        assertEquals(404, get("/missing.png", "Accept", "image/avif,image/webp,*/*").statusCode());
        // curl and fetch() send */* or no Accept at all: a route still gets the app, and the
        // answer does not depend on Accept, so no Vary: Accept
        for (String accept : new String[] {"*/*", "application/json", null}) {
            HttpResponse<byte[]> r = accept == null ? get("/users/42") : get("/users/42", "Accept", accept);
            assertEquals(200, r.statusCode(), "Accept: " + accept);
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("<p>home</p>"));
            assertTrue(r.headers().allValues("Vary").stream().noneMatch(v -> v.matches("(?i)(.*,\\s*)?accept(\\s*,.*)?")));
        }
        assertEquals(200, get("/.well-known/route").statusCode());
        assertEquals(404, get("/users/42/avatar.png").statusCode());
    }

    // ---- CORS, headers, Cache-Control ----

    @Test void corsAnyOrigin() throws Exception {
        start(s -> s.with(o -> o.cors("*")));
        HttpResponse<byte[]> pre = send("OPTIONS", "/style.css", "Origin", "https://app.example",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "range, if-none-match");
        assertEquals(204, pre.statusCode());
        assertEquals("*", h(pre, "Access-Control-Allow-Origin"));
        assertEquals("GET, HEAD, OPTIONS", h(pre, "Access-Control-Allow-Methods"));
        assertEquals("range, if-none-match", h(pre, "Access-Control-Allow-Headers"));
        HttpResponse<byte[]> r = get("/style.css", "Origin", "https://app.example");
        assertEquals("*", h(r, "Access-Control-Allow-Origin"));
        assertTrue(h(r, "Access-Control-Expose-Headers").contains("ETag"));
        // a plain OPTIONS still gets the method gate's answer
        HttpResponse<byte[]> opt = send("OPTIONS", "/");
        assertEquals(204, opt.statusCode());
        assertEquals("GET, HEAD, OPTIONS", h(opt, "Allow"));
    }

    @Test void corsOneOrigin() throws Exception {
        start(s -> s.with(o -> o.cors("https://app.example")));
        HttpResponse<byte[]> ok = get("/style.css", "Origin", "https://app.example");
        assertEquals("https://app.example", h(ok, "Access-Control-Allow-Origin"));
        assertTrue(ok.headers().allValues("Vary").contains("Origin"));
        HttpResponse<byte[]> other = get("/style.css", "Origin", "https://evil.example");
        assertNull(h(other, "Access-Control-Allow-Origin"));
        HttpResponse<byte[]> pre = send("OPTIONS", "/", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET");
        assertNull(h(pre, "Access-Control-Allow-Origin"));
    }

    @Test void extraHeadersOnEveryResponse() throws Exception {
        start(s -> s.with(o -> o.headers(List.of(SiteOptions.HeaderField.parse("Cross-Origin-Opener-Policy: same-origin"),
                SiteOptions.HeaderField.parse("Cross-Origin-Embedder-Policy:require-corp")))));
        for (String p : List.of("/", "/style.css", "/missing")) {
            HttpResponse<byte[]> r = get(p);
            assertEquals("same-origin", h(r, "Cross-Origin-Opener-Policy"), p);
            assertEquals("require-corp", h(r, "Cross-Origin-Embedder-Policy"), p);
        }
    }

    @Test void cacheControlRevalidatesHtmlAndUsesMaxAgeForAssets() throws Exception {
        start(s -> s);
        assertEquals("no-cache", h(get("/"), "Cache-Control"));
        assertEquals("no-cache", h(get("/style.css"), "Cache-Control"));
        server.close();
        start(s -> s.with(o -> o.maxAge(3600)));
        assertEquals("no-cache", h(get("/index.html"), "Cache-Control"));
        HttpResponse<byte[]> css = get("/style.css");
        assertEquals("max-age=3600", h(css, "Cache-Control"));
        HttpResponse<byte[]> notModified = get("/style.css", "If-None-Match", h(css, "ETag"));
        assertEquals(304, notModified.statusCode());
        assertEquals("max-age=3600", h(notModified, "Cache-Control"));
    }

    // ---- open-file cache ----

    @Test void openFileCacheSeesAChangeWithinItsValidity() throws Exception {
        start(s -> s);
        assertEquals("a{}\n", new String(get("/small.css").body(), StandardCharsets.UTF_8));
        Files.writeString(root.resolve("small.css"), "b{color:red}\n");
        Files.setLastModifiedTime(root.resolve("small.css"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        // the change shows once the entry is older than the validity; the slack is for a loaded
        // machine, where each request may take a while (the loop ends as soon as it shows)
        long deadline = System.nanoTime() + ServerConfig.OPEN_FILE_CACHE_VALIDITY.toNanos() + 5_000_000_000L;
        String seen;
        do {
            seen = new String(get("/small.css").body(), StandardCharsets.UTF_8);
            if (seen.startsWith("b")) break;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertEquals("b{color:red}\n", seen);
        // a removed file is gone, and a new one appears, within the same time
        Files.delete(root.resolve("small.css"));
        Files.writeString(root.resolve("new.css"), "n{}");
        Thread.sleep(ServerConfig.OPEN_FILE_CACHE_VALIDITY.toMillis() + 100);
        assertEquals(404, get("/small.css").statusCode());
        assertEquals(200, get("/new.css").statusCode());
    }
}
