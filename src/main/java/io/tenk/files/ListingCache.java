package io.tenk.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * (1 s) after it was checked. The next request after that looks at the directory's modification
 * time (one stat): unchanged, and read at least a validity after that time (so no change within
 * the same clock tick can hide), the rendering stays. Otherwise, and in any case once it is
 * {@link #REREAD_AFTER_VALIDITIES} validities old (a file rewritten in place changes its size,
 * not its directory), the directory is read again; the rendering is kept when the listing (names,
 * kinds, sizes, times) is unchanged, else made afresh. So a directory is read at most once per
 * ten seconds while unchanged, whatever the number of readers; an entry added, removed or renamed
 * shows within a second, a size within ten.
 *
 * <p>Bounds: renderings live in the process's one {@link MemoryBudget} (listing, bytes and key
 * counted); at most one listing is read and rendered at a time, and while one is being read
 * again the others keep answering with the rendering they have; a crowd arriving at a directory
 * not yet rendered waits for one rendering instead of making one each. A listing shows at most
 * {@link DirectoryListing#MAX_ENTRIES} entries. Disabled (validity 0), every request reads and
 * renders the directory (still one at a time).
 */
public final class ListingCache {
    /** A listing is read again at least this many validities after it was read. */
    public static final int REREAD_AFTER_VALIDITIES = 10;

    /**
     * A rendering: the listing it shows, its bytes, when it was checked and read (clock), the
     * directory's modification time then and the wall-clock time of the read (milliseconds).
     */
    private record Rendering(DirectoryListing listing, byte[] bytes, long checkedAt, long readAt,
                             long directoryMtime, long readAtMillis) {
        Rendering checked(long now) { return new Rendering(listing, bytes, now, readAt, directoryMtime, readAtMillis); }

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
        Rendering r = budget.get(key, Rendering.class);
        boolean hit = r != null && fresh(r);
        CacheStats.LISTINGS.count(hit);
        if (hit) return r.bytes;
        if (r != null && validityNanos > 0) {
            if (!building.tryLock()) return r.bytes;   // being checked by another request: this one is still good
        } else {
            building.lock();
        }
        try {
            Rendering old = budget.get(key, Rendering.class);
            if (old != null && fresh(old)) return old.bytes;   // made while this request waited
            long now = clock.getAsLong();
            long mtime = mtime(dir.realPath());
            if (old != null && unchanged(old, mtime, now)) {
                store(key, old.checked(now));
                return old.bytes;
            }
            long readAtMillis = System.currentTimeMillis();
            reads.increment();
            DirectoryListing listing = DirectoryListing.of(resolver, dir);
            if (listing == null) return null;
            if (old != null && old.listing.equals(listing)) {
                r = new Rendering(old.listing, old.bytes, now, now, mtime, readAtMillis);
            } else {
                renders.increment();
                String text = json ? listing.toJson() : listing.toHtml();
                r = new Rendering(listing, text.getBytes(StandardCharsets.UTF_8), now, now, mtime, readAtMillis);
            }
            store(key, r);
            return r.bytes;
        } finally {
            building.unlock();
        }
    }

    private boolean fresh(Rendering r) {
        return validityNanos > 0 && clock.getAsLong() - r.checkedAt < validityNanos;
    }

    /** The directory kept its modification time, was read a validity after it, and not too long ago. */
    private boolean unchanged(Rendering r, long mtime, long now) {
        long validityMillis = validityNanos / 1_000_000;
        return mtime != Long.MIN_VALUE && mtime == r.directoryMtime
                && r.readAtMillis - mtime >= validityMillis
                && now - r.readAt < REREAD_AFTER_VALIDITIES * validityNanos;
    }

    private void store(Key key, Rendering r) {
        if (validityNanos > 0) budget.put(key, r, r.weight(key));
    }

    private static long mtime(Path directory) {
        try {
            return Files.getLastModifiedTime(directory).toMillis();
        } catch (IOException | RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /** How many times a directory was read (tests, metrics). */
    public long reads() { return reads.sum(); }

    /** How many renderings were made (tests, metrics). */
    public long renders() { return renders.sum(); }
}
