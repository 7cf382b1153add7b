package io.tenk.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Rendered directory listings, one per directory version and format (HTML, JSON), shared by every
 * reader: a response holds the one rendering, never a copy, so a thousand clients that ask for a
 * large listing and never read it cost one rendering between them, and a HEAD or GET loop costs a
 * map lookup.
 *
 * <p>Correctness, as in {@link OpenFileCache}: a rendering is trusted for {@code validityNanos}
 * (1 s) after the directory was read; the next request after that reads the directory again, and
 * keeps the rendering it has when the listing (names, kinds, sizes, times) is unchanged, else
 * renders afresh. So a directory is read at most once per second whatever the number of readers,
 * and a change shows within a second.
 *
 * <p>Bounds: renderings live in the process's one {@link MemoryBudget} (listing, bytes and key
 * counted); at most one listing is read and rendered at a time, so a crowd arriving together
 * waits for one rendering instead of making one each. A listing shows at most
 * {@link DirectoryListing#MAX_ENTRIES} entries. Disabled (validity 0), every request reads and
 * renders the directory (still one at a time).
 */
public final class ListingCache {
    /** A rendering: the listing it shows, its bytes, and when the directory was read. */
    private record Rendering(DirectoryListing listing, byte[] bytes, long checkedAt) {
        long weight(Key key) {
            long w = bytes.length;
            for (DirectoryListing.Entry e : listing.entries()) w += MemoryBudget.weigh(e.name()) + 48;
            return w + 2 * MemoryBudget.weigh(key.realPath.toString()) + MemoryBudget.weigh(key.canonicalPath);
        }
    }

    /** One directory of one site (the resolver decides what its listing may show), in one format. */
    private record Key(PathResolver resolver, Path realPath, String canonicalPath, boolean json) {}

    private final MemoryBudget budget;
    private final long validityNanos;
    private final LongSupplier clock;
    private final ReentrantLock building = new ReentrantLock();
    private final LongAdder reads = new LongAdder();
    private final LongAdder renders = new LongAdder();

    public ListingCache(MemoryBudget budget, long validityNanos) {
        this(budget, validityNanos, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} (tests pass their own) */
    public ListingCache(MemoryBudget budget, long validityNanos, LongSupplier clock) {
        this.budget = budget;
        this.validityNanos = validityNanos;
        this.clock = clock;
    }

    /** Nothing kept: every request reads and renders the directory. */
    public static ListingCache disabled() {
        return new ListingCache(MemoryBudget.ofBytes(0), 0);
    }

    /**
     * The listing of {@code dir} as UTF-8 JSON ({@link DirectoryListing#toJson}) or HTML
     * ({@link DirectoryListing#toHtml}); null when the directory cannot be read. The array is
     * shared: never modify it.
     */
    public byte[] render(PathResolver resolver, Resolution.Directory dir, boolean json) {
        Key key = new Key(resolver, dir.realPath(), dir.canonicalPath(), json);
        Rendering r = fresh(key);
        if (r != null) return r.bytes;
        building.lock();
        try {
            r = fresh(key);   // made while this request waited
            if (r != null) return r.bytes;
            long now = clock.getAsLong();
            reads.increment();
            DirectoryListing listing = DirectoryListing.of(resolver, dir);
            if (listing == null) return null;
            Rendering old = budget.get(key, Rendering.class);
            if (old != null && old.listing.equals(listing)) {
                r = new Rendering(old.listing, old.bytes, now);
            } else {
                renders.increment();
                String text = json ? listing.toJson() : listing.toHtml();
                r = new Rendering(listing, text.getBytes(StandardCharsets.UTF_8), now);
            }
            if (validityNanos > 0) budget.put(key, r, r.weight(key));
            return r.bytes;
        } finally {
            building.unlock();
        }
    }

    private Rendering fresh(Key key) {
        if (validityNanos <= 0) return null;
        Rendering r = budget.get(key, Rendering.class);
        return r != null && clock.getAsLong() - r.checkedAt < validityNanos ? r : null;
    }

    /** How many times a directory was read (tests, metrics). */
    public long reads() { return reads.sum(); }

    /** How many renderings were made (tests, metrics). */
    public long renders() { return renders.sum(); }
}
