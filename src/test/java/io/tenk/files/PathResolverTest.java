package io.tenk.files;

import io.tenk.http.RequestPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathResolverTest {
    @TempDir Path tmp;
    Path root;
    PathResolver resolver;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectory(tmp.resolve("www"));
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret.txt"), "secret");
        Files.createDirectories(tmp.resolve("www2"));
        Files.writeString(tmp.resolve("www2/secret.txt"), "secret");

        Files.writeString(root.resolve("a.txt"), "hello");
        Files.createDirectories(root.resolve("sub/inner"));
        Files.writeString(root.resolve("sub/page.html"), "<p>");
        Files.writeString(root.resolve("sp ace.txt"), "x");
        Files.writeString(root.resolve("café.txt"), "x");
        Files.writeString(root.resolve("a;b=c.txt"), "x");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "[core]");
        Files.writeString(root.resolve(".env"), "KEY=1");
        Files.createDirectories(root.resolve("dir with space"));
        Files.createSymbolicLink(root.resolve("out-file"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("sibling"), Path.of("../www2"));
        Files.createSymbolicLink(root.resolve("abs-out"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("in-file.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(root.resolve("in-dir"), Path.of("sub"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nowhere"));
        resolver = new PathResolver(root);
    }

    /** As the server resolves a request-target's path: {@link RequestPath} first (null is a 400), then the resolver. */
    private Resolution r(String raw) {
        String path = RequestPath.of(raw);
        return path == null ? Resolution.INVALID : resolver.resolve(path);
    }

    @Test
    void rootMustBeAnExistingDirectory() {
        assertThrows(IllegalArgumentException.class, () -> new PathResolver(tmp.resolve("missing")));
        assertThrows(IllegalArgumentException.class, () -> new PathResolver(tmp.resolve("secret.txt")));
    }

    @Test
    void rootIsKeptAsItsRealPath() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("root-link"), Path.of("www"));
        PathResolver viaLink = new PathResolver(link);
        assertEquals(root.toRealPath(), viaLink.root());
        assertInstanceOf(Resolution.File.class, viaLink.resolve("/a.txt"));
    }

    @Test
    void regularFileWithStat() throws IOException {
        Files.setLastModifiedTime(root.resolve("a.txt"), FileTime.fromMillis(1_700_000_000_123L));
        var f = assertInstanceOf(Resolution.File.class, r("/a.txt"));
        assertEquals(root.toRealPath().resolve("a.txt"), f.realPath());
        assertEquals(5, f.size());
        assertEquals(1_700_000_000_123L, f.lastModifiedMillis());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /a.txt                  | a.txt
            //a.txt                 | a.txt
            /./a.txt                | a.txt
            /sub/../a.txt           | a.txt
            /sub/inner/../../a.txt  | a.txt
            /%61.txt                | a.txt
            /sp%20ace.txt           | sp ace.txt
            /caf%C3%A9.txt          | café.txt
            /caf%c3%a9.txt          | café.txt
            /a;b=c.txt              | a;b=c.txt
            /sub/page.html          | sub/page.html
            /in-file.txt            | a.txt
            /in-dir/page.html       | sub/page.html
            """)
    void filesInsideTheRoot(String raw, String expected) throws IOException {
        var f = assertInstanceOf(Resolution.File.class, r(raw.strip()));
        assertEquals(root.toRealPath().resolve(expected.strip()), f.realPath());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /                    | /
            /.                   | /
            //                   | /
            /sub                 | /sub/
            /sub/                | /sub/
            /sub/.               | /sub/
            //sub//inner//       | /sub/inner/
            /sub/inner/..        | /sub/
            /a/..                | /
            /%2e                 | /
            /sub/%2e%2e/sub/     | /sub/
            /dir%20with%20space  | /dir%20with%20space/
            /dir with space      | INVALID
            /in-dir              | /in-dir/
            """)
    void directoriesWithCanonicalPath(String raw, String canonical) {
        Resolution res = r(raw.strip());
        if (canonical.equals("INVALID")) {
            assertInstanceOf(Resolution.Invalid.class, res);
            return;
        }
        var d = assertInstanceOf(Resolution.Directory.class, res);
        assertEquals(canonical.strip(), d.canonicalPath());
    }

    @Test
    void canonicalPathIsReEncoded() throws IOException {
        Files.createDirectories(root.resolve("é ?#%"));
        var d = assertInstanceOf(Resolution.Directory.class, r("/%C3%A9%20%3F%23%25"));
        assertEquals("/%C3%A9%20%3F%23%25/", d.canonicalPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "a.txt", "*", "example.com:80",
            "/../a.txt", "/..", "/../", "/sub/../../a.txt", "/./../a.txt",
            "/%", "/%2", "/%zz", "/a%2", "/%g0", "/%ff", "/%c0%ae%c0%ae", "/%e0%80%ae", "/%ed%a0%80",
            "/%f8%88%80%80%80", "/%c3", "/%00", "/a.txt%00.html", "/%0a", "/%0d%0a", "/%7f", "/%c2%85",
            "/..%2fa.txt", "/sub%2f..%2f..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/%5c..%5csecret.txt",
            "/..\\secret.txt", "/sub\\..\\a.txt", "/a b", "/a\tb", "/caf\u00e9.txt", "/%2e%2e%5c..%5cetc",
            "/%2e%2e", "/%2e%2e/secret.txt", "/%2E%2E/%2E%2E/etc/passwd", "/sub/%2e%2e/%2e%2e/secret.txt"
    })
    void invalid(String raw) {
        assertInstanceOf(Resolution.Invalid.class, r(raw), raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/missing", "/sub/missing", "/missing/", "/a.txt/", "/a.txt/.", "/sub/page.html/",
            "/.git/config", "/.git", "/.git/", "/.env", "/sub/.hidden",
            "/...", "/..;/secret.txt", "/%2e%2e;/", "/%252e%252e/", "/%2egit/config",
            "/out-file", "/out-dir", "/out-dir/", "/out-dir/secret.txt", "/sibling/secret.txt", "/sibling",
            "/abs-out", "/dangling", "/a.txt/x"
    })
    void notFound(String raw) {
        assertInstanceOf(Resolution.NotFound.class, r(raw), raw);
    }

    @Test
    void dotSegmentIsNotFoundOnlyWhenTheRestIsValid() {
        assertInstanceOf(Resolution.Invalid.class, r("/.git/%ff"));
    }

    @Test
    void nonRegularFilesAreNotServed() throws Exception {
        Path fifo = root.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo unavailable");
        assertInstanceOf(Resolution.NotFound.class, r("/pipe"));
    }

    @Test
    void childChecksLikeResolve() throws IOException {
        var d = assertInstanceOf(Resolution.Directory.class, r("/sub/"));
        assertInstanceOf(Resolution.File.class, resolver.child(d, "page.html"));
        assertInstanceOf(Resolution.NotFound.class, resolver.child(d, "missing.html"));
        assertInstanceOf(Resolution.Invalid.class, resolver.child(d, "../a.txt"));
        assertInstanceOf(Resolution.NotFound.class, resolver.child(d, ".htaccess"));
        Files.createSymbolicLink(root.resolve("sub/index.html"), Path.of("../../secret.txt"));
        assertInstanceOf(Resolution.NotFound.class, resolver.child(d, "index.html"));
        var top = assertInstanceOf(Resolution.Directory.class, r("/"));
        var inner = assertInstanceOf(Resolution.Directory.class, resolver.child(top, "sub"));
        assertEquals("/sub/", inner.canonicalPath());
    }

    @Test
    void resultsNeverLeaveTheRoot() throws IOException {
        Path real = root.toRealPath();
        String[] probes = {"/a.txt", "/in-file.txt", "/in-dir/page.html", "/sub/", "/out-file", "/sibling/secret.txt"};
        for (String probe : probes) {
            switch (r(probe)) {
                case Resolution.File f -> assertTrue(f.realPath().startsWith(real), probe);
                case Resolution.Directory d -> assertTrue(d.realPath().startsWith(real), probe);
                default -> { }
            }
        }
    }

    @Test
    void aPathNotInNormalFormIsInvalid() {
        for (String p : new String[] {"", "a.txt", "//a.txt", "/./a.txt", "/sub/../a.txt", "/sub//page.html", "/..", "/a\\b", "/a\u0000b"}) {
            assertInstanceOf(Resolution.Invalid.class, resolver.resolve(p), p);
        }
        assertInstanceOf(Resolution.File.class, resolver.resolve("/café.txt"), "the resolver takes decoded paths");
        assertInstanceOf(Resolution.Invalid.class, resolver.resolve(null));
    }
}
