package io.tenk.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every cache of every site lives in one budget, and what a client chooses (keys) is counted. */
class MemoryBudgetTest {
    static final long SECOND = 1_000_000_000L;
    @TempDir Path tmp;

    record SiteCaches(OpenFileCache files, GzipCache gzip) {}

    @Test void threeSitesShareOneBudget() throws IOException {
        long bound = 256 * 1024;
        MemoryBudget budget = MemoryBudget.ofBytes(bound);
        String text = "a line of text that compresses well enough, but not to nothing: ".repeat(256); // 16 KiB
        List<SiteCaches> sites = new ArrayList<>();
        for (String site : List.of("a", "b", "c")) {
            Path root = Files.createDirectory(tmp.resolve(site));
            for (int i = 0; i < 40; i++) Files.writeString(root.resolve(i + ".txt"), i + text);
            sites.add(new SiteCaches(new OpenFileCache(new PathResolver(root), 60 * SECOND, budget, 64 * 1024),
                    new GzipCache(1024, 1 << 20, budget)));
        }
        for (SiteCaches s : sites) {
            for (int i = 0; i < 40; i++) {
                Resolution.File f = assertInstanceOf(Resolution.File.class, s.files().resolve("/" + i + ".txt"));
                byte[] content = s.files().content("/" + i + ".txt", f);
                assertNotNull(content);
                assertNotNull(s.gzip().encoded(f, content));
                assertTrue(budget.bytes() <= bound, "held " + budget.bytes() + " > " + bound);
            }
        }
        // each site alone (640 KiB of content) outgrows the bound: together they are held to it
        assertTrue(budget.bytes() <= bound, "held " + budget.bytes());
        assertTrue(budget.bytes() > bound / 2, "the budget is used: " + budget.bytes());
        // the first site's entries made room for the others'
        OpenFileCache first = sites.getFirst().files();
        Resolution.File f0 = (Resolution.File) new PathResolver(tmp.resolve("a")).resolve("/0.txt");
        assertNull(first.content("/0.txt", f0), "the least recently used site's file left the shared budget");
    }

    @Test void anEntryReadSinceTheLastStoresOutlivesOlderOnes() {
        MemoryBudget budget = MemoryBudget.ofBytes(8 * (1000 + MemoryBudget.ENTRY_OVERHEAD));
        for (int i = 0; i < 8; i++) budget.put("k" + i, "v" + i, 1000);
        assertEquals(8, budget.entries());
        assertEquals("v0", budget.get("k0", String.class)); // the oldest store, read after every other
        budget.put("k8", "v8", 1000); // past the bound: the least recently used go, down to seven eighths
        assertEquals("v0", budget.get("k0", String.class), "read after the others were stored: kept");
        assertNull(budget.get("k1", String.class), "stored early and never read since: gone");
        assertEquals("v8", budget.get("k8", String.class));
    }

    @Test void keysAreCounted() throws IOException {
        long bound = 2_500_000;
        MemoryBudget budget = MemoryBudget.ofBytes(bound);
        Path root = Files.createDirectory(tmp.resolve("site"));
        OpenFileCache files = new OpenFileCache(new PathResolver(root), 60 * SECOND, budget, 64 * 1024);
        String longName = "x".repeat(8 * 1024);
        files.resolve("/0/" + longName);
        assertTrue(budget.bytes() >= 8 * 1024, "one 8 KiB key costs at least 8 KiB: " + budget.bytes());
        // 1,000 keys of 8 KiB: three times the budget, which would hold some 300 of them
        for (int i = 1; i < 1_000; i++) {
            assertInstanceOf(Resolution.NotFound.class, files.resolve("/" + i + "/" + longName));
        }
        assertTrue(budget.bytes() <= bound, "1,000 distinct 8 KiB paths held " + budget.bytes() + " > " + bound);
        assertTrue(budget.entries() < 400, "entries " + budget.entries());
    }

    @Test void aValueLargerThanTheBudgetIsNotKept() {
        MemoryBudget budget = MemoryBudget.ofBytes(1000);
        budget.put("small", new byte[10], 10);
        budget.put("large", new byte[2000], 2000);
        assertNull(budget.get("large", byte[].class));
        assertNotNull(budget.get("small", byte[].class));
        assertEquals(10 + MemoryBudget.ENTRY_OVERHEAD, budget.bytes());
    }

    @Test void theProcessBudgetIsAQuarterOfTheMaximumHeap() {
        assertEquals((long) (Runtime.getRuntime().maxMemory() * MemoryBudget.HEAP_FRACTION), MemoryBudget.process().maxBytes());
    }
}
