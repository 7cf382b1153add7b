package io.tenk.files;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hits and misses of one kind of cache, over every site of the process (the caches share one
 * {@link MemoryBudget} the same way). Counting is a {@link LongAdder} increment: no lock, no
 * allocation.
 *
 * @param name the cache's name as the metrics show it
 */
public record CacheStats(String name, LongAdder hits, LongAdder misses) {

    /** Path resolutions of the open-file cache ({@link OpenFileCache}). */
    public static final CacheStats FILES = new CacheStats("files");
    /** Small files' content kept in memory ({@link OpenFileCache#content}). */
    public static final CacheStats CONTENT = new CacheStats("content");
    /** Files gzipped on the fly ({@link GzipCache}). */
    public static final CacheStats GZIP = new CacheStats("gzip");
    /** Rendered directory listings ({@link ListingCache}). */
    public static final CacheStats LISTINGS = new CacheStats("listings");

    private CacheStats(String name) { this(name, new LongAdder(), new LongAdder()); }

    /** Every kind, in a fixed order. */
    public static List<CacheStats> all() { return List.of(FILES, CONTENT, GZIP, LISTINGS); }

    /** Counts one lookup: found usable in the cache, or not. */
    public void count(boolean hit) {
        (hit ? hits : misses).increment();
    }
}
