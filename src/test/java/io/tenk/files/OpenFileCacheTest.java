package io.tenk.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenFileCacheTest {
    static final long SECOND = 1_000_000_000L;
    @TempDir Path root;
    final AtomicLong now = new AtomicLong(10 * SECOND);

    OpenFileCache cache(long budgetBytes, int maxFile) {
        return new OpenFileCache(new PathResolver(root), SECOND, MemoryBudget.ofBytes(budgetBytes), maxFile, now::get);
    }

    @Test void trustedWithinValidityThenRevalidated() throws IOException {
        Files.writeString(root.resolve("a.txt"), "one");
        OpenFileCache c = cache(1 << 20, 1024);
        Resolution.File f = assertInstanceOf(Resolution.File.class, c.resolve("/a.txt"));
        byte[] first = c.content("/a.txt", f);
        assertArrayEquals("one".getBytes(), first);
        Files.writeString(root.resolve("a.txt"), "three");
        Files.setLastModifiedTime(root.resolve("a.txt"), FileTime.fromMillis(f.lastModifiedMillis() + 5000));
        assertSame(f, c.resolve("/a.txt"), "still trusted");
        assertSame(first, c.content("/a.txt", f));
        now.addAndGet(SECOND);
        Resolution.File g = assertInstanceOf(Resolution.File.class, c.resolve("/a.txt"));
        assertEquals(5, g.size());
        assertArrayEquals("three".getBytes(), c.content("/a.txt", g));
        Files.delete(root.resolve("a.txt"));
        now.addAndGet(SECOND);
        assertInstanceOf(Resolution.NotFound.class, c.resolve("/a.txt"));
    }

    @Test void siblingsAreLookedUpTogetherAndTrustedWithinValidity() throws IOException {
        Files.writeString(root.resolve("app.js"), "let a = 1;");
        Files.writeString(root.resolve("app.js.gz"), "gz");
        OpenFileCache c = cache(1 << 20, 1024);
        Resolution.File f = assertInstanceOf(Resolution.File.class, c.resolve("/app.js"));
        OpenFileCache.Siblings s = c.siblings(f);
        assertEquals(ContentCoding.PREFERRED.size(), s.size());
        assertInstanceOf(Resolution.NotFound.class, s.get(ContentCoding.PREFERRED.indexOf(ContentCoding.BR)));
        assertInstanceOf(Resolution.NotFound.class, s.get(ContentCoding.PREFERRED.indexOf(ContentCoding.ZSTD)));
        int gzip = ContentCoding.PREFERRED.indexOf(ContentCoding.GZIP);
        Resolution.File gz = assertInstanceOf(Resolution.File.class, s.get(gzip));
        assertEquals(root.toRealPath().resolve("app.js.gz"), gz.realPath());
        assertEquals(Representation.sibling(ContentCoding.GZIP, gz), s.representation(gzip), "made once, with the entry");
        assertSame(s.representation(gzip), c.siblings(f).representation(gzip));
        assertNull(s.representation(ContentCoding.PREFERRED.indexOf(ContentCoding.BR)));
        for (ContentCoding coding : ContentCoding.PREFERRED) {
            assertEquals(c.resolver().sibling(f, coding.suffix()).getClass(), s.get(ContentCoding.PREFERRED.indexOf(coding)).getClass(),
                    "as the resolver finds it: " + coding);
        }

        Files.writeString(root.resolve("app.js.br"), "br");
        assertSame(s, c.siblings(f), "one entry, trusted for the validity");
        now.addAndGet(SECOND);
        Resolution.File br = assertInstanceOf(Resolution.File.class, c.siblings(f).get(0));
        assertEquals(root.toRealPath().resolve("app.js.br"), br.realPath());
    }

    @Test void withCachingOffSiblingsAreAskedOneByOne() throws IOException {
        Files.writeString(root.resolve("app.js"), "let a = 1;");
        OpenFileCache off = OpenFileCache.disabled(new PathResolver(root));
        Resolution.File f = assertInstanceOf(Resolution.File.class, off.resolve("/app.js"));
        assertNull(off.siblings(f));
    }

    @Test void boundedInBytes() throws IOException {
        for (int i = 0; i < 20; i++) Files.write(root.resolve(i + ".bin"), new byte[100]);
        Files.write(root.resolve("big.bin"), new byte[5000]);
        OpenFileCache c = cache(4000, 1000);
        for (int i = 0; i < 20; i++) {
            Resolution.File f = (Resolution.File) c.resolve("/" + i + ".bin");
            c.content("/" + i + ".bin", f);
        }
        assertTrue(c.budget().bytes() <= 4000, "bytes " + c.budget().bytes());
        assertTrue(c.budget().entries() < 20, "entries " + c.budget().entries());
        Resolution.File big = (Resolution.File) c.resolve("/big.bin");
        assertNull(c.content("/big.bin", big), "too large to keep");
    }

    @Test void disabledGoesStraightToTheResolver() throws IOException {
        Files.writeString(root.resolve("a.txt"), "one");
        OpenFileCache c = OpenFileCache.disabled(new PathResolver(root));
        Resolution.File f = (Resolution.File) c.resolve("/a.txt");
        assertNull(c.content("/a.txt", f));
        Files.writeString(root.resolve("a.txt"), "three");
        assertEquals(5, ((Resolution.File) c.resolve("/a.txt")).size());
    }
}
