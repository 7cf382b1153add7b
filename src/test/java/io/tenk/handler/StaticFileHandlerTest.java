package io.tenk.handler;

import io.tenk.files.Validators;
import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.HttpDate;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.RequestPath;
import io.tenk.http.Response;
import io.tenk.http.Status;
import io.tenk.http.Version;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticFileHandlerTest {
    static final long MTIME = 1_700_000_000_250L;
    static final String HELLO = "hello, world\n"; // 13 bytes

    @TempDir Path tmp;
    Path root;
    Path realRoot;
    StaticFileHandler handler;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectory(tmp.resolve("www"));
        Files.writeString(tmp.resolve("secret.txt"), "TOP SECRET");
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret.txt"), "TOP SECRET");
        Files.writeString(tmp.resolve("outside/index.html"), "TOP SECRET");
        Files.createDirectories(tmp.resolve("www2"));
        Files.writeString(tmp.resolve("www2/secret.txt"), "TOP SECRET");

        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("hello.txt"), HELLO);
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.fromMillis(MTIME));
        Files.createFile(root.resolve("empty.bin"));
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.createDirectories(root.resolve("noindex"));
        Files.createDirectories(root.resolve("dirindex/index.html"));
        Files.createDirectories(root.resolve("evil.example"));
        Files.createDirectories(root.resolve("badindex"));
        Files.createSymbolicLink(root.resolve("badindex/index.html"), Path.of("../../outside/index.html"));
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "[core]");
        Files.writeString(root.resolve(".env"), "KEY=1");
        Files.createSymbolicLink(root.resolve("out-file"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("sibling"), Path.of("../www2"));
        Files.createSymbolicLink(root.resolve("abs-out"), tmp.resolve("secret.txt"));
        realRoot = root.toRealPath();
        handler = new StaticFileHandler(root);
    }

    /** The request the parser makes of this target: its path decoded and normalised; null where the parser answers 400. */
    static Request request(Method method, String raw, String query, Headers headers) {
        String target = query == null ? raw : raw + "?" + query;
        String path = RequestPath.of(raw);
        if (path == null) return null;
        return new Request(method, method.name(), target, path, query, Version.HTTP_1_1, headers, "localhost", true, 0);
    }

    /** What the server answers: the parser's 400 for an invalid path, else the handler's answer. */
    Response handle(Request r) { return r == null ? ErrorPages.of(Status.BAD_REQUEST) : handler.handle(r); }

    Response get(String path) { return handle(request(Method.GET, path, null, new Headers())); }

    Response get(String path, String... fields) {
        Headers h = new Headers();
        for (int i = 0; i < fields.length; i += 2) h.add(fields[i], fields[i + 1]);
        return handle(request(Method.GET, path, null, h));
    }

    static String text(Body body) {
        return new String(assertInstanceOf(Body.Bytes.class, body).data(), StandardCharsets.UTF_8);
    }

    // ---- traversal ----

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /../secret.txt                       | 400
            /../etc/passwd                       | 400
            /../../../../../../etc/passwd        | 400
            /a/../../secret.txt                  | 400
            /./../secret.txt                     | 400
            /..                                  | 400
            /..%2fsecret.txt                     | 400
            /..%2fetc%2fpasswd                   | 400
            /%2e%2e%2fsecret.txt                 | 400
            /%2e%2e%5c..%5cetc                   | 400
            /%5c..%5csecret.txt                  | 400
            /..\\..\\etc                          | 400
            /%00                                 | 400
            /index.html%00.txt                   | 400
            /hello.txt%00                        | 400
            /%c0%ae%c0%ae/etc/passwd             | 400
            /%c0%ae%c0%ae/secret.txt             | 400
            /%e0%80%ae%e0%80%ae/secret.txt       | 400
            /%ff                                 | 400
            /%                                   | 400
            /%2                                  | 400
            /%zz                                 | 400
            /%0d%0aSet-Cookie:x                  | 400
            /%2e%2e/%2e%2e/etc/passwd            | 400
            /%2e%2e/secret.txt                   | 400
            /%2E%2E/secret.txt                   | 400
            /%252e%252e/                         | 404
            /%252e%252e/secret.txt               | 404
            /..;/secret.txt                      | 404
            /.../secret.txt                      | 404
            /.git/config                         | 404
            /.git/                               | 404
            /.env                                | 404
            /%2eenv                              | 404
            /out-file                            | 404
            /abs-out                             | 404
            /out-dir                             | 404
            /out-dir/                            | 404
            /out-dir/secret.txt                  | 404
            /sibling/secret.txt                  | 404
            //etc/passwd                         | 404
            ///../secret.txt                     | 400
            /hello.txt/                          | 404
            /hello.txt/..%2f..%2fsecret.txt      | 400
            """)
    void hostilePathsNeverEscape(String raw, int status) throws IOException {
        String path = raw.strip().replace("\\\\", "\\");
        for (Method m : List.of(Method.GET, Method.HEAD)) {
            Response r = handle(request(m, path, null, new Headers()));
            assertEquals(status, r.status().code(), path);
            assertNoFileOutsideRoot(r.body());
            assertFalse(text(r.body()).contains(tmp.toString()), "error page leaks a path");
            assertFalse(r.headers().contains("Location"));
        }
    }

    void assertNoFileOutsideRoot(Body body) throws IOException {
        switch (body) {
            case Body.FileRegion f -> assertTrue(f.path().toRealPath().startsWith(realRoot), f.path().toString());
            case Body.Parts p -> { for (Body b : p.parts()) assertNoFileOutsideRoot(b); }
            default -> { }
        }
    }

    // ---- methods ----

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"GET", "HEAD"}, mode = EnumSource.Mode.EXCLUDE)
    void otherMethodsAreDeclined(Method m) {
        assertNull(handle(request(m, "/hello.txt", null, new Headers())));
    }

    // ---- files ----

    @Test
    void aRegionSaysWhatTheLookupSawOnlyWhenTheOpenFileCacheIsOn() {
        var uncached = assertInstanceOf(Body.FileRegion.class, get("/hello.txt").body());
        assertEquals(-1, uncached.fileSize(), "cache off: opened for itself, no descriptor kept");
        StaticFileHandler cached = new StaticFileHandler(SiteOptions.bare(root),
                new io.tenk.files.OpenFileCache(new io.tenk.files.PathResolver(root), 1_000_000_000L,
                        io.tenk.files.MemoryBudget.ofBytes(1 << 20), 0),
                null, io.tenk.files.ListingCache.disabled());
        var region = assertInstanceOf(Body.FileRegion.class, cached.handle(request(Method.GET, "/hello.txt", null, new Headers())).body());
        assertEquals(13, region.fileSize());
        assertEquals(MTIME, region.modifiedMillis());
        var range = assertInstanceOf(Body.FileRegion.class, cached.handle(request(Method.GET, "/hello.txt", null,
                new Headers().add("Range", "bytes=2-4"))).body());
        assertEquals(13, range.fileSize(), "a range of the file may share its descriptor too");
    }

    /**
     * With the open-file cache on, a file's 200 fields are made once and each response gets a
     * copy-on-write copy: the same fields as made for one response, and what a handler or a range
     * adds to one response reaches no other.
     */
    @Test
    void keptResponseFieldsAreTheFreshOnesAndEachResponseMayChangeItsOwn() throws IOException {
        Files.writeString(root.resolve("app.js"), "let a = 1;\n".repeat(40));
        SiteOptions site = SiteOptions.bare(root).with(o -> o.compression(true).maxAge(60).openFileCache(true));
        StaticFileHandler cached = new StaticFileHandler(site,
                new io.tenk.files.OpenFileCache(new io.tenk.files.PathResolver(root), 1_000_000_000L,
                        io.tenk.files.MemoryBudget.ofBytes(1 << 20), 1 << 16),
                null, io.tenk.files.ListingCache.disabled());
        StaticFileHandler fresh = new StaticFileHandler(site);
        for (String path : List.of("/app.js", "/hello.txt", "/index.html")) {
            String head = head(fresh.handle(request(Method.GET, path, null, new Headers())));
            for (int i = 0; i < 3; i++) { // made, then encoded when asked again, then copied
                assertEquals(head, head(cached.handle(request(Method.GET, path, null, new Headers()))), path + " #" + i);
            }
            Response first = cached.handle(request(Method.GET, path, null, new Headers()));
            assertEquals(fields(fresh.handle(request(Method.GET, path, null, new Headers()))), fields(first), path);
            first.headers().set("X-Rule", "1");
            first.headers().remove("ETag");
            Response second = cached.handle(request(Method.GET, path, null, new Headers()));
            assertNull(second.headers().get("X-Rule"), path);
            assertEquals(fields(fresh.handle(request(Method.GET, path, null, new Headers()))), fields(second), path);
            Response range = cached.handle(request(Method.GET, path, null, new Headers().add("Range", "bytes=0-1")));
            assertEquals(Status.PARTIAL_CONTENT, range.status());
            assertEquals(1, range.headers().count("Content-Range"));
            assertNull(cached.handle(request(Method.GET, path, null, new Headers())).headers().get("Content-Range"), path);
        }
        assertEquals("Accept-Encoding", cached.handle(request(Method.GET, "/app.js", null, new Headers())).headers().get("Vary"));
        assertEquals("max-age=60", cached.handle(request(Method.GET, "/app.js", null, new Headers())).headers().get("Cache-Control"));
        assertEquals("no-cache", cached.handle(request(Method.GET, "/index.html", null, new Headers())).headers().get("Cache-Control"));
    }

    /** The head as sent, but its Date. */
    private static String head(Response r) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096);
        int n = io.tenk.http.ResponseHead.encode(r, Version.HTTP_1_1, true, b);
        return new String(b.array(), 0, n, StandardCharsets.ISO_8859_1).replaceAll("Date: [^\r]*", "Date: -");
    }

    private static List<String> fields(Response r) {
        return java.util.stream.IntStream.range(0, r.headers().size())
                .mapToObj(i -> r.headers().name(i) + ": " + r.headers().value(i)).toList();
    }

    @Test
    void servesAFileAsARegion() {
        Response r = get("/hello.txt");
        assertEquals(Status.OK, r.status());
        var region = assertInstanceOf(Body.FileRegion.class, r.body());
        assertEquals(realRoot.resolve("hello.txt"), region.path());
        assertEquals(0, region.offset());
        assertEquals(13, region.length());
        assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
        assertEquals(Validators.etag(13, MTIME), r.headers().get("ETag"));
        assertEquals(HttpDate.format(MTIME / 1000), r.headers().get("Last-Modified"));
        assertEquals("bytes", r.headers().get("Accept-Ranges"));
        assertNull(r.headers().get("Content-Length"), "the protocol layer sets it");
    }

    @Test
    void headIsAnsweredExactlyAsGet() {
        for (String[] fields : List.of(new String[0], new String[]{"Range", "bytes=0-4"}, new String[]{"Range", "bytes=0-1,5-6"})) {
            Headers g = new Headers(), h = new Headers();
            for (int i = 0; i < fields.length; i += 2) { g.add(fields[i], fields[i + 1]); h.add(fields[i], fields[i + 1]); }
            Response rg = handle(request(Method.GET, "/hello.txt", null, g));
            Response rh = handle(request(Method.HEAD, "/hello.txt", null, h));
            assertEquals(rg.status(), rh.status());
            assertEquals(rg.body().length(), rh.body().length());
            assertEquals(rg.headers().get("Content-Range"), rh.headers().get("Content-Range"));
            assertEquals(rg.headers().get("ETag"), rh.headers().get("ETag"));
        }
    }

    @Test
    void emptyFileIsAnEmptyBody() {
        Response r = get("/empty.bin");
        assertEquals(Status.OK, r.status());
        assertSame(Body.EMPTY, r.body());
        assertEquals("application/octet-stream", r.headers().get("Content-Type"));
        Response ranged = get("/empty.bin", "Range", "bytes=0-");
        assertEquals(Status.RANGE_NOT_SATISFIABLE, ranged.status());
        assertEquals("bytes */0", ranged.headers().get("Content-Range"));
    }

    // ---- directories ----

    @ParameterizedTest(name = "{0} ? {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            /docs              | -          | /docs/
            /docs              | a=1&b=2    | /docs/?a=1&b=2
            /docs              | ''         | /docs/?
            //docs             | -          | /docs/
            /.//docs           | -          | /docs/
            /./docs            | -          | /docs/
            /docs/./../docs    | -          | /docs/
            //evil.example     | -          | /evil.example/
            ///evil.example    | -          | /evil.example/
            /.//evil.example   | -          | /evil.example/
            /docs/../evil.example | -       | /evil.example/
            /evil%2Eexample    | -          | /evil.example/
            """)
    void directoryWithoutSlashRedirects(String path, String query, String location) {
        Response r = handle(request(Method.GET, path.strip(), query, new Headers()));
        assertEquals(Status.MOVED_PERMANENTLY, r.status());
        String loc = r.headers().get("Location");
        assertEquals(location.strip(), loc);
        assertSafeLocation(loc);
        assertSame(Body.EMPTY, r.body());
    }

    /** A path whose last segment is "." or ".." names a directory with its '/' (RFC 3986 §5.2.4): no redirect. */
    @ParameterizedTest
    @ValueSource(strings = {"/docs/.", "/docs/%2e", "/docs/x/..", "/.", "/docs/.."})
    void dotSegmentsLastNameTheDirectoryItself(String raw) {
        assertEquals(Status.OK, get(raw).status(), raw);
    }

    static void assertSafeLocation(String loc) {
        assertTrue(loc.startsWith("/"), loc);
        assertFalse(loc.startsWith("//"), loc);
        assertFalse(loc.contains("\\"), loc);
        assertFalse(loc.contains("://"), loc);
    }

    @Test
    void noOffSiteRedirectFromAnyProbe() {
        String[] probes = {"//evil.example", "/%5cevil.example", "/.//evil.example", "/%2f%2fevil.example",
                "/\\evil.example", "/%5c%5cevil.example", "//%5cevil.example", "/./%2fevil.example",
                "///evil.example/..", "/%09/evil.example", "/evil.example%2f", "/docs/..//evil.example"};
        for (String p : probes) {
            Response r = get(p);
            String loc = r.headers().get("Location");
            if (loc != null) assertSafeLocation(loc);
            // "///evil.example/.." is the root itself: 200
            assertTrue(r.status() == Status.MOVED_PERMANENTLY || r.status() == Status.BAD_REQUEST
                    || r.status() == Status.NOT_FOUND || r.status() == Status.OK && loc == null, p + " → " + r.status());
        }
        assertEquals(Status.BAD_REQUEST, get("/%5cevil.example").status());
    }

    @Test
    void directoryWithSlashServesIndex() {
        Response r = get("/docs/");
        assertEquals(Status.OK, r.status());
        var region = assertInstanceOf(Body.FileRegion.class, r.body());
        assertEquals(realRoot.resolve("docs/index.html"), region.path());
        assertEquals("text/html; charset=utf-8", r.headers().get("Content-Type"));
        var home = assertInstanceOf(Body.FileRegion.class, get("/").body());
        assertEquals(realRoot.resolve("index.html"), home.path());
    }

    @Test
    void directoryWithoutUsableIndexIs404() {
        assertEquals(Status.NOT_FOUND, get("/noindex/").status());
        assertEquals(Status.NOT_FOUND, get("/dirindex/").status());
        Response bad = get("/badindex/");
        assertEquals(Status.NOT_FOUND, bad.status());
        assertNull(bad.headers().get("Location"));
    }

    @Test
    void indexNamesAreConfigurable() throws IOException {
        Files.writeString(root.resolve("noindex/default.htm"), "d");
        var h = new StaticFileHandler(SiteOptions.bare(root, List.of("index.html", "default.htm")));
        var r = h.handle(request(Method.GET, "/noindex/", null, new Headers()));
        assertEquals(realRoot.resolve("noindex/default.htm"), assertInstanceOf(Body.FileRegion.class, r.body()).path());
        for (String bad : List.of("", ".index", "a/b", "..", "a\\b")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> SiteOptions.bare(root, List.of(bad)), bad);
        }
    }

    // ---- preconditions ----

    @Test
    void notModifiedByETag() {
        String etag = Validators.etag(13, MTIME);
        Response r = get("/hello.txt", "If-None-Match", etag);
        assertEquals(Status.NOT_MODIFIED, r.status());
        assertEquals(etag, r.headers().get("ETag"));
        assertEquals(HttpDate.format(MTIME / 1000), r.headers().get("Last-Modified"));
        assertSame(Body.EMPTY, r.body());
    }

    @Test
    void notModifiedByDate() {
        Response r = get("/hello.txt", "If-Modified-Since", HttpDate.format(MTIME / 1000));
        assertEquals(Status.NOT_MODIFIED, r.status());
        assertEquals(Status.OK, get("/hello.txt", "If-Modified-Since", HttpDate.format(MTIME / 1000 - 1)).status());
    }

    @Test
    void preconditionFailed() {
        Response r = get("/hello.txt", "If-Match", "\"nope\"");
        assertEquals(Status.PRECONDITION_FAILED, r.status());
        assertTrue(text(r.body()).contains("412"));
        assertEquals(Status.PRECONDITION_FAILED,
                get("/hello.txt", "If-Unmodified-Since", HttpDate.format(MTIME / 1000 - 60)).status());
        assertEquals(Status.OK, get("/hello.txt", "If-Match", Validators.etag(13, MTIME)).status());
    }

    @Test
    void preconditionsRunBeforeRanges() {
        Response r = get("/hello.txt", "If-None-Match", "*", "Range", "bytes=0-1");
        assertEquals(Status.NOT_MODIFIED, r.status());
    }

    // ---- ranges ----

    /** What a transport would send for a Parts body of bytes and (small) file regions. */
    static byte[] render(Body body) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        for (Body part : assertInstanceOf(Body.Parts.class, body).parts()) {
            switch (part) {
                case Body.Bytes b -> out.write(b.data());
                case Body.FileRegion r -> out.write(Files.readAllBytes(r.path()), (int) r.offset(), (int) r.length());
                default -> throw new AssertionError(part);
            }
        }
        return out.toByteArray();
    }

    @Test
    void singleRange() {
        Response r = get("/hello.txt", "Range", "bytes=7-11");
        assertEquals(Status.PARTIAL_CONTENT, r.status());
        assertEquals("bytes 7-11/13", r.headers().get("Content-Range"));
        assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
        var region = assertInstanceOf(Body.FileRegion.class, r.body());
        assertEquals(7, region.offset());
        assertEquals(5, region.length());
        assertEquals("world", HELLO.substring(7, 12));
    }

    @Test
    void suffixRange() {
        Response r = get("/hello.txt", "Range", "bytes=-6");
        assertEquals("bytes 7-12/13", r.headers().get("Content-Range"));
    }

    @Test
    void severalRangesAreMultipart() throws IOException {
        Response r = get("/hello.txt", "Range", "bytes=0-4,7-11");
        assertEquals(Status.PARTIAL_CONTENT, r.status());
        String type = r.headers().get("Content-Type");
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        assertNull(r.headers().get("Content-Range"));
        String boundary = type.substring(type.indexOf('=') + 1);
        byte[] bytes = render(r.body());
        String body = new String(bytes, StandardCharsets.US_ASCII);
        assertEquals("--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-4/13\r\n\r\nhello\r\n"
                + "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 7-11/13\r\n\r\nworld\r\n"
                + "--" + boundary + "--\r\n", body);
        assertEquals(bytes.length, r.body().length());
        assertNoFileOutsideRoot(r.body());
    }

    @Test
    void overlappingRangesCoalesceToOne() {
        Response r = get("/hello.txt", "Range", "bytes=0-3,2-5");
        assertEquals("bytes 0-5/13", r.headers().get("Content-Range"));
    }

    @Test
    void unsatisfiableRange() {
        Response r = get("/hello.txt", "Range", "bytes=13-");
        assertEquals(Status.RANGE_NOT_SATISFIABLE, r.status());
        assertEquals("bytes */13", r.headers().get("Content-Range"));
        assertTrue(text(r.body()).contains("416"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            bytes=5-2
            items=0-1
            bytes=0-x
            """)
    void badRangesAreIgnored(String range) {
        Response r = get("/hello.txt", "Range", range);
        assertEquals(Status.OK, r.status());
        assertEquals(13, r.body().length());
    }

    @Test
    void ifRange() {
        String etag = Validators.etag(13, MTIME);
        assertEquals(Status.PARTIAL_CONTENT, get("/hello.txt", "Range", "bytes=0-1", "If-Range", etag).status());
        assertEquals(Status.OK, get("/hello.txt", "Range", "bytes=0-1", "If-Range", "\"stale\"").status());
        assertEquals(Status.OK, get("/hello.txt", "Range", "bytes=0-1", "If-Range", "W/" + etag).status());
        assertEquals(Status.PARTIAL_CONTENT,
                get("/hello.txt", "Range", "bytes=0-1", "If-Range", HttpDate.format(MTIME / 1000)).status());
        assertEquals(Status.OK,
                get("/hello.txt", "Range", "bytes=0-1", "If-Range", HttpDate.format(MTIME / 1000 + 1)).status());
    }

    @Test
    void repeatedRangeFieldIsIgnored() {
        Response r = get("/hello.txt", "Range", "bytes=0-1", "Range", "bytes=2-3");
        assertEquals(Status.OK, r.status());
    }

    @Test
    void rangesPastFourGiB() throws IOException {
        Path big = root.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(5L << 30); // sparse
        }
        try {
            long len = 5L << 30;
            Response full = get("/big.bin");
            assertEquals(len, assertInstanceOf(Body.FileRegion.class, full.body()).length());

            Response r = get("/big.bin", "Range", "bytes=4294967296-4294967300");
            assertEquals(Status.PARTIAL_CONTENT, r.status());
            assertEquals("bytes 4294967296-4294967300/" + len, r.headers().get("Content-Range"));
            var region = assertInstanceOf(Body.FileRegion.class, r.body());
            assertEquals(4294967296L, region.offset());
            assertEquals(5, region.length());

            Response tail = get("/big.bin", "Range", "bytes=-1");
            assertEquals("bytes " + (len - 1) + "-" + (len - 1) + "/" + len, tail.headers().get("Content-Range"));

            Response multi = get("/big.bin", "Range", "bytes=0-0,5000000000-5000000009");
            var parts = assertInstanceOf(Body.Parts.class, multi.body()).parts();
            var second = assertInstanceOf(Body.FileRegion.class, parts.get(3));
            assertEquals(5_000_000_000L, second.offset());
            assertEquals(10, second.length());

            assertEquals("bytes */" + len, get("/big.bin", "Range", "bytes=" + len + "-").headers().get("Content-Range"));
        } finally {
            Files.delete(big);
        }
    }

    // ---- listings: one rendering per directory version ----

    @Test void repeatedHeadAndGetOfAListingReadTheDirectoryOnceUntilItChanges() throws IOException {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        long second = 1_000_000_000L;
        io.tenk.files.ListingCache listings = new io.tenk.files.ListingCache(io.tenk.files.MemoryBudget.ofBytes(1 << 20), second, now::get);
        SiteOptions site = SiteOptions.bare(root).with(o -> o.listing(true));
        StaticFileHandler h = new StaticFileHandler(site, io.tenk.files.OpenFileCache.disabled(new io.tenk.files.PathResolver(root)), null, listings);
        Files.writeString(root.resolve("noindex/a.txt"), "a");
        Files.setLastModifiedTime(root.resolve("noindex"), FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Body first = h.handle(request(Method.GET, "/noindex/", null, new Headers())).body();
        for (int i = 0; i < 50; i++) {
            Response head = h.handle(request(Method.HEAD, "/noindex/", null, new Headers()));
            assertEquals(Status.OK, head.status());
            assertEquals(first.length(), head.body().length());
            Response get = h.handle(request(Method.GET, "/noindex/", null, new Headers()));
            assertSame(((Body.Bytes) first).data(), ((Body.Bytes) get.body()).data(), "one rendering shared by every reader");
        }
        now.addAndGet(second);   // past the validity, the directory unchanged: not read again
        assertSame(((Body.Bytes) first).data(), ((Body.Bytes) h.handle(request(Method.HEAD, "/noindex/", null, new Headers())).body()).data());
        assertEquals(1, listings.reads());
        assertEquals(1, listings.renders());

        Files.writeString(root.resolve("noindex/b.txt"), "b");
        now.addAndGet(second);
        Response after = h.handle(request(Method.HEAD, "/noindex/", null, new Headers()));
        assertEquals(2, listings.reads());
        assertEquals(2, listings.renders());
        assertTrue(text(h.handle(request(Method.GET, "/noindex/", null, new Headers())).body()).contains("b.txt"));
        assertTrue(after.body().length() > first.length());
        assertEquals(2, listings.reads());
    }
}
