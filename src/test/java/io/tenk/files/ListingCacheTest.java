package io.tenk.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One rendering per directory version and format, shared by every reader. */
class ListingCacheTest {
    static final long SECOND = 1_000_000_000L;
    @TempDir Path root;
    final AtomicLong now = new AtomicLong(10 * SECOND);

    Resolution.Directory dir(PathResolver resolver) {
        return assertInstanceOf(Resolution.Directory.class, resolver.resolve("/"));
    }

    @Test void readersShareOneRenderingUntilTheDirectoryChanges() throws IOException {
        Files.writeString(root.resolve("a.txt"), "a");
        Files.writeString(root.resolve("b.txt"), "b");
        Files.setLastModifiedTime(root, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        PathResolver resolver = new PathResolver(root);
        ListingCache cache = new ListingCache(MemoryBudget.ofBytes(1 << 20), SECOND, now::get);
        byte[] first = cache.render(resolver, dir(resolver), false);
        for (int i = 0; i < 100; i++) assertSame(first, cache.render(resolver, dir(resolver), false));
        assertEquals(1, cache.reads());
        assertEquals(1, cache.renders());

        // past the validity, the directory unchanged (its modification time): not read again
        for (int i = 0; i < 5; i++) {
            now.addAndGet(SECOND);
            assertSame(first, cache.render(resolver, dir(resolver), false));
        }
        assertEquals(1, cache.reads());

        // changed: trusted until the validity ends, then read and rendered afresh
        Files.writeString(root.resolve("c.txt"), "c");
        assertSame(first, cache.render(resolver, dir(resolver), false));
        now.addAndGet(SECOND);
        byte[] second = cache.render(resolver, dir(resolver), false);
        assertNotSame(first, second);
        assertTrue(new String(second, StandardCharsets.UTF_8).contains("c.txt"));
        assertEquals(2, cache.reads());
        assertEquals(2, cache.renders());

        // read within a second of its modification time, the directory is read once more (a change
        // in the same clock tick must not hide); the listing is the same, so is the rendering
        now.addAndGet(SECOND);
        assertSame(second, cache.render(resolver, dir(resolver), false));
        assertEquals(3, cache.reads());
        assertEquals(2, cache.renders());

        // and read again however unchanged after ten validities (a size changes, not its directory)
        Files.writeString(root.resolve("a.txt"), "a longer a");
        Files.setLastModifiedTime(root, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        now.addAndGet(SECOND);
        cache.render(resolver, dir(resolver), false);
        long reads = cache.reads();
        now.addAndGet(ListingCache.REREAD_AFTER_VALIDITIES * SECOND);
        byte[] third = cache.render(resolver, dir(resolver), false);
        assertEquals(reads + 1, cache.reads());
        assertTrue(new String(third, StandardCharsets.UTF_8).contains("data-size=\"10\""));

        // JSON is its own rendering
        byte[] json = cache.render(resolver, dir(resolver), true);
        assertTrue(new String(json, StandardCharsets.UTF_8).startsWith("{\"path\":\"/\""));
        assertSame(json, cache.render(resolver, dir(resolver), true));
        assertEquals(reads + 2, cache.reads());
    }

    @Test void aCrowdArrivingTogetherWaitsForOneRendering() throws Exception {
        for (int i = 0; i < 500; i++) Files.writeString(root.resolve("f" + i + ".txt"), "x");
        PathResolver resolver = new PathResolver(root);
        ListingCache cache = new ListingCache(MemoryBudget.ofBytes(1 << 24), 60 * SECOND);
        int n = 16;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) results.add(pool.submit(() -> {
                go.await();
                return cache.render(resolver, dir(resolver), false);
            }));
            go.countDown();
            byte[] one = results.getFirst().get();
            for (Future<byte[]> r : results) assertSame(one, r.get());
        }
        assertEquals(1, cache.reads());
        assertEquals(1, cache.renders());
    }

    @Test void disabledReadsEveryTime() throws IOException {
        Files.writeString(root.resolve("a.txt"), "a");
        PathResolver resolver = new PathResolver(root);
        ListingCache cache = ListingCache.disabled();
        cache.render(resolver, dir(resolver), false);
        cache.render(resolver, dir(resolver), false);
        assertEquals(2, cache.reads());
    }

    @Test void anUnreadableDirectoryIsNotKept() throws IOException {
        Path gone = Files.createDirectory(root.resolve("gone"));
        PathResolver resolver = new PathResolver(root);
        Resolution.Directory d = assertInstanceOf(Resolution.Directory.class, resolver.resolve("/gone/"));
        Files.delete(gone);
        ListingCache cache = new ListingCache(MemoryBudget.ofBytes(1 << 20), SECOND, now::get);
        assertEquals(null, cache.render(resolver, d, false));
        assertFalse(cache.reads() == 0);
    }
}
