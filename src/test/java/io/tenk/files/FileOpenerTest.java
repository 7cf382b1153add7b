package io.tenk.files;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link FileOpener} opens, with openat2 and with the per-component walk that stands in for it. */
class FileOpenerTest {
    @TempDir static Path dir;
    static Path root, outside;

    @BeforeAll static void tree() throws Exception {
        root = Files.createDirectories(dir.resolve("www")).toRealPath();
        outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/page.txt"), "page");
        Files.createSymbolicLink(root.resolve("out.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outdir"), outside);
        Files.createSymbolicLink(root.resolve("alias.txt"), Path.of("sub/page.txt"));
        Files.createSymbolicLink(root.resolve("aliasdir"), Path.of("sub"));
        Process p = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo unavailable");
    }

    private boolean before = true;

    private void mode(boolean openat2) {
        before = FileOpener.useOpenat2(openat2);
    }

    @AfterEach void restore() { FileOpener.useOpenat2(before); }

    @ParameterizedTest(name = "openat2 {0}")
    @ValueSource(booleans = {true, false})
    void opensTheRegularFileBeneathTheRoot(boolean openat2) throws IOException {
        mode(openat2);
        try (FileOpener.Opened o = FileOpener.open(root, root.resolve("sub/page.txt"))) {
            assertEquals("page", Files.readString(o.path()));
            assertTrue(o.attributes().isRegularFile());
            assertEquals(4, o.attributes().size());
        }
    }

    /**
     * Every descriptor an open makes (the root's, each directory of the walk, the file's) is
     * closed, on success and on failure: none of this process's descriptors still points beneath
     * the root (other tests' descriptors point elsewhere).
     */
    @ParameterizedTest(name = "openat2 {0}")
    @ValueSource(booleans = {true, false})
    void closesEveryDescriptorItOpened(boolean openat2) throws IOException {
        mode(openat2);
        for (int i = 0; i < 200; i++) {
            try (FileOpener.Opened o = FileOpener.open(root, root.resolve("sub/page.txt"))) {
                assertTrue(o.attributes().isRegularFile());
            }
            assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("sub/missing.txt")));
            assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("aliasdir/page.txt")));
        }
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(root)) open.add(target);
                } catch (IOException gone) {
                    // closed meanwhile (the listing's own descriptor, or another test's)
                }
            }
        }
        assertEquals(0, open.size(), () -> open.size() + " descriptors left open beneath the root, such as " + open.subList(0, Math.min(4, open.size())));
    }

    @ParameterizedTest(name = "openat2 {0}")
    @ValueSource(booleans = {true, false})
    void followsNoLinkAtAnyComponent(boolean openat2) {
        mode(openat2);
        assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("out.txt")));
        assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("outdir/secret.txt")));
        assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("alias.txt")));
        assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("aliasdir/page.txt")));
        assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, outside.resolve("secret.txt")));
        assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("missing.txt")));
        assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("sub")));
    }

    @ParameterizedTest(name = "openat2 {0}")
    @ValueSource(booleans = {true, false})
    void aFifoIsRefusedWithoutBlocking(boolean openat2) {
        mode(openat2);
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(NoSuchFileException.class, () -> FileOpener.open(root, root.resolve("pipe"))));
    }

    /** A link that stays inside the root is served: the resolver follows it, the opener opens its real path. */
    @ParameterizedTest(name = "openat2 {0}")
    @ValueSource(booleans = {true, false})
    void linksInsideTheRootStillServe(boolean openat2) throws IOException {
        mode(openat2);
        PathResolver resolver = new PathResolver(root);
        for (String path : new String[] {"/alias.txt", "/aliasdir/page.txt"}) {
            Resolution.File f = assertInstanceOf(Resolution.File.class, resolver.resolve(path), path);
            try (FileOpener.Opened o = FileOpener.open(f.root(), f.realPath())) {
                assertArrayEquals("page".getBytes(), Files.readAllBytes(o.path()));
            }
        }
    }
}
