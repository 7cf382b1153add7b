package io.tenk.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What nginx calls an open_file_cache, at the file layer: the results of path resolution (the
 * stat behind them included) and the content of small files, kept for a short time so that a
 * hot file costs no system call at all. The transport is untouched: a file too large to keep is
 * still sent as a {@code FileRegion} that the transport opens.
 *
 * <p>Correctness: an entry is trusted for {@code validityNanos} (default 1 s) after it was made;
 * the next lookup after that resolves the path again, and keeps the cached content only when the
 * real path, size and modification time are unchanged. So a changed, added or removed file is seen
 * at most {@code validity} later. Content is read only after the stat, and is kept only when a
 * second stat after the read still agrees with the first (a file written during the read is not
 * cached). A rewrite that keeps size and millisecond mtime goes unseen, as with the ETag.
 *
 * <p>Bounds: entries live in the process's one {@link MemoryBudget}, shared with every other
 * site's caches, counted by their key (the path asked for), their resolution and their content
 * (files of at most {@code maxFileBytes} each); least recently used first out.
 *
 * <p>Disabled (validity 0), every call goes straight to the resolver.
 */
public final class OpenFileCache {

    /** A cached lookup: what it resolved to, when, and (for a small file) its content. */
    private record Entry(Resolution resolution, long checkedAt, byte[] content) {
        /** The bytes it costs with its key: the key, the resolution's paths (twice: bytes and string), the content. */
        long weight(Key key) {
            long paths = switch (resolution) {
                case Resolution.File f -> 2 * MemoryBudget.weigh(f.realPath().toString());
                case Resolution.Directory d -> 2 * MemoryBudget.weigh(d.realPath().toString()) + MemoryBudget.weigh(d.canonicalPath());
                default -> 0;
            };
            return key.weight() + paths + (content == null ? 0 : content.length);
        }
    }

    /**
     * The key in the shared budget: this cache (one per site), the kind of lookup, and what it
     * looked up (a request path; a directory and a name in it; a file, for its siblings). A lookup
     * asks with its thread's probe, filled in place, and a key of its own is made only to store.
     */
    private static final class Key {
        static final char RESOLVE = 'r', CHILD = 'c', SIBLINGS = 's';

        private OpenFileCache owner;
        private char kind;
        private Path near;
        private String name;

        Key(OpenFileCache owner, char kind, Path near, String name) { set(owner, kind, near, name); }

        Key set(OpenFileCache owner, char kind, Path near, String name) {
            this.owner = owner;
            this.kind = kind;
            this.near = near;
            this.name = name;
            return this;
        }

        /** A key to store under: the probe changes with the thread's next lookup. */
        Key copy() { return new Key(owner, kind, near, name); }

        long weight() {
            return MemoryBudget.weigh(name) + (near == null ? 0 : MemoryBudget.weigh(near.toString()));
        }

        @Override public boolean equals(Object o) {
            return o instanceof Key k && kind == k.kind && owner == k.owner && Objects.equals(name, k.name) && Objects.equals(near, k.near);
        }

        @Override public int hashCode() {
            return ((System.identityHashCode(owner) * 31 + kind) * 31 + Objects.hashCode(near)) * 31 + Objects.hashCode(name);
        }
    }

    /**
     * Each thread's key for lookups. Used from filling it to the end of one method below, with no
     * other lookup in between, so one per thread is enough.
     */
    private static final ThreadLocal<Key> PROBE = ThreadLocal.withInitial(() -> new Key(null, Key.RESOLVE, null, null));

    private Key probe(char kind, Path near, String name) {
        return PROBE.get().set(this, kind, near, name);
    }

    private final PathResolver resolver;
    private final long validityNanos;
    private final int maxFileBytes;
    private final MemoryBudget budget;
    private final LongSupplier clock;

    public OpenFileCache(PathResolver resolver, long validityNanos, MemoryBudget budget, int maxFileBytes) {
        this(resolver, validityNanos, budget, maxFileBytes, System::nanoTime);
    }

    OpenFileCache(PathResolver resolver, long validityNanos, MemoryBudget budget, int maxFileBytes, LongSupplier clock) {
        this.resolver = resolver;
        this.validityNanos = validityNanos;
        this.maxFileBytes = maxFileBytes;
        this.budget = budget;
        this.clock = clock;
    }

    /** A pass-through: nothing is cached. */
    public static OpenFileCache disabled(PathResolver resolver) {
        return new OpenFileCache(resolver, 0, MemoryBudget.ofBytes(0), 0);
    }

    public boolean enabled() { return validityNanos > 0; }

    public PathResolver resolver() { return resolver; }

    /** {@link PathResolver#resolve}, cached. */
    public Resolution resolve(String rawPath) {
        if (!enabled()) return resolver.resolve(rawPath);
        Key key = probe(Key.RESOLVE, null, rawPath);
        Resolution r = cached(key);
        return r != null ? r : refresh(key, resolver.resolve(rawPath));
    }

    /** {@link PathResolver#child}, cached. */
    public Resolution child(Resolution.Directory directory, String name) {
        if (!enabled()) return resolver.child(directory, name);
        Key key = probe(Key.CHILD, directory.realPath(), name);
        Resolution r = cached(key);
        return r != null ? r : refresh(key, resolver.child(directory, name));
    }

    /**
     * A file's precompressed siblings, one per coding of {@link ContentCoding#PREFERRED} in that
     * order, looked up together, each found one with its {@link Representation} made once.
     */
    public static final class Siblings {
        private final Resolution[] found;
        private final Representation[] representations;
        private final long checkedAt;

        private Siblings(Resolution[] found, long checkedAt) {
            this.found = found;
            this.checkedAt = checkedAt;
            representations = new Representation[found.length];
            for (int i = 0; i < found.length; i++) {
                if (found[i] instanceof Resolution.File s) representations[i] = Representation.sibling(ContentCoding.PREFERRED.get(i), s);
            }
        }

        /** How many codings: {@link ContentCoding#PREFERRED}'s. */
        public int size() { return found.length; }

        /** The sibling for the {@code i}th coding, as {@link PathResolver#sibling} finds it. */
        public Resolution get(int i) { return found[i]; }

        /** The {@code i}th coding's sibling as a representation, or null when there is no such file. */
        public Representation representation(int i) { return representations[i]; }

        private long weight(Key key) {
            long w = key.weight();
            for (Resolution r : found) if (r instanceof Resolution.File f) w += 2 * MemoryBudget.weigh(f.realPath().toString()) + 256;
            return w;
        }
    }

    /**
     * The file's precompressed siblings, each as {@link PathResolver#sibling} finds it: kept as
     * one entry, so that a request that could take any of them makes one lookup, not one per
     * coding (a file without siblings, the usual case, made three). Null when caching is off:
     * then ask the resolver for those wanted.
     */
    public Siblings siblings(Resolution.File file) {
        if (!enabled()) return null;
        Key key = probe(Key.SIBLINGS, file.realPath(), "");
        Siblings e = budget.get(key, Siblings.class);
        long now = clock.getAsLong();
        boolean hit = e != null && now - e.checkedAt < validityNanos;
        CacheStats.FILES.count(hit);
        if (hit) return e;
        Resolution[] found = new Resolution[ContentCoding.PREFERRED.size()];
        for (int i = 0; i < found.length; i++) found[i] = resolver.sibling(file, ContentCoding.PREFERRED.get(i).suffix());
        Siblings fresh = new Siblings(found, now);
        Key stored = key.copy();
        budget.put(stored, fresh, fresh.weight(stored));
        return fresh;
    }

    /** The resolution under {@code key} while still valid, else null. */
    private Resolution cached(Key key) {
        Entry e = budget.get(key, Entry.class);
        boolean hit = e != null && clock.getAsLong() - e.checkedAt < validityNanos;
        CacheStats.FILES.count(hit);
        return hit ? e.resolution : null;
    }

    /** Stores a fresh resolution, keeping the content read before when it is still the same file. */
    private Resolution refresh(Key key, Resolution r) {
        long now = clock.getAsLong();
        Entry e = budget.get(key, Entry.class);
        byte[] keep = e != null && sameFile(e.resolution, r) ? e.content : null;
        store(key, new Entry(r, now, keep));
        return r;
    }

    private void store(Key probe, Entry e) {
        Key key = probe.copy();
        budget.put(key, e, e.weight(key));
    }

    /**
     * The content of a small file as resolved by {@link #resolve} or {@link #child}, from memory
     * when cached; null when the file is too large, caching is off, or the file changed while
     * it was read (the caller then sends it from disk).
     */
    public byte[] content(String rawPath, Resolution.File f) {
        return cachedContent(probe(Key.RESOLVE, null, rawPath), f);
    }

    /** As {@link #content(String, Resolution.File)} for a file found by {@link #child}. */
    public byte[] childContent(Resolution.Directory directory, String name, Resolution.File f) {
        return cachedContent(probe(Key.CHILD, directory.realPath(), name), f);
    }

    private byte[] cachedContent(Key key, Resolution.File f) {
        if (!enabled() || f.size() > maxFileBytes) return null;
        Entry e = budget.get(key, Entry.class);
        boolean usable = e != null && sameFile(e.resolution, f);
        CacheStats.CONTENT.count(usable && e.content != null);
        if (!usable) return null;
        if (e.content != null) return e.content;
        byte[] data = read(f);
        if (data != null) store(key, new Entry(e.resolution, e.checkedAt, data));
        return data;
    }

    /**
     * Reads a file whole, or null when it no longer matches its stat. It is opened with
     * {@link FileOpener} (a regular file beneath the root, no link followed) and re-stat'ed
     * through that descriptor.
     */
    static byte[] read(Resolution.File f) {
        try (FileOpener.Opened o = FileOpener.open(f.root(), f.realPath())) {
            byte[] data = Files.readAllBytes(o.path());
            BasicFileAttributes a = Files.readAttributes(o.path(), BasicFileAttributes.class);
            if (data.length != f.size() || a.size() != f.size() || a.lastModifiedTime().toMillis() != f.lastModifiedMillis()) {
                return null;
            }
            return data;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean sameFile(Resolution a, Resolution b) {
        return a instanceof Resolution.File x && b instanceof Resolution.File y
                && x.realPath().equals(y.realPath()) && x.size() == y.size()
                && x.lastModifiedMillis() == y.lastModifiedMillis();
    }

    /** The budget its entries live in. */
    public MemoryBudget budget() { return budget; }
}
