package io.tenk.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * On-the-fly gzip, by way of a size-bounded cache of compressed files.
 *
 * <p>Why a cache and not compression while sending: tenk frames every response by
 * Content-Length, which must be in the head, and the length of a gzip stream is only known once
 * it is made. Compressing twice (once to count, once to send) doubles the CPU for every request;
 * chunked framing would lose Content-Length, progress bars and Range. So a compressible file of
 * {@code minBytes} (1 KiB) to {@code maxFileBytes} (default 1 MiB) is compressed once, streaming
 * from disk through a 16 KiB buffer, and the result kept in an LRU keyed by real path, size and
 * modification time (so a changed file is compressed afresh), in the process's one
 * {@link MemoryBudget} shared with every other cache (key and bytes counted). Larger files are served from a precompressed sibling when there is one
 * ({@code tenk compress DIR} makes them), else as they are. Memory is thus bounded by the cache
 * plus one file in flight per compressing request; the output is never a whole large file.
 *
 * <p>A file whose gzip is not smaller than itself is remembered as such and served as it is.
 */
public final class GzipCache {
    private static final byte[] NOT_SMALLER = new byte[0];

    /** A file as it was: its real path, size and modification time. Looked up with the thread's probe, copied to store. */
    private static final class Key {
        private Path path;
        private long size, lastModifiedMillis;

        Key set(Resolution.File f) {
            path = f.realPath();
            size = f.size();
            lastModifiedMillis = f.lastModifiedMillis();
            return this;
        }

        Key copy() {
            Key k = new Key();
            k.path = path;
            k.size = size;
            k.lastModifiedMillis = lastModifiedMillis;
            return k;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Key k && size == k.size && lastModifiedMillis == k.lastModifiedMillis && path.equals(k.path);
        }

        @Override public int hashCode() {
            return (path.hashCode() * 31 + Long.hashCode(size)) * 31 + Long.hashCode(lastModifiedMillis);
        }
    }

    /** Each thread's key for lookups (filled and used within one call of {@link #encoded}). */
    private static final ThreadLocal<Key> PROBE = ThreadLocal.withInitial(Key::new);

    private final long minBytes;
    private final long maxFileBytes;
    private final MemoryBudget budget;

    public GzipCache(long minBytes, long maxFileBytes, MemoryBudget budget) {
        this.minBytes = minBytes;
        this.maxFileBytes = maxFileBytes;
        this.budget = budget;
    }

    /** Whether a file of this size is compressed on the fly at all. */
    public boolean eligible(long size) { return size >= minBytes && size <= maxFileBytes; }

    /**
     * The file gzipped, as a representation (its bytes, entity-tag and dates worked out once), from
     * the cache or made now; null when the file is not eligible, does not shrink, or changed while
     * it was read.
     *
     * @param content the file's content when the caller has it in memory already, else null
     */
    public Representation encoded(Resolution.File f, byte[] content) {
        if (!eligible(f.size())) return null;
        Key key = PROBE.get().set(f);
        Object cached = budget.get(key, Object.class);
        CacheStats.GZIP.count(cached != null);
        if (cached == null) {
            byte[] gz = compress(f, content);
            if (gz == null) return null;
            Representation r = gz == NOT_SMALLER ? null : Representation.encoded(ContentCoding.GZIP, f, gz);
            cached = r == null ? NOT_SMALLER : r;
            // the key's path is held twice (bytes and string), and the representation's tag
            budget.put(key.copy(), cached, 2 * MemoryBudget.weigh(f.realPath().toString()) + gz.length
                    + (r == null ? 0 : MemoryBudget.weigh(r.etag())));
        }
        return cached instanceof Representation r ? r : null;
    }

    private static byte[] compress(Resolution.File f, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(f.size() / 3 + 64, Integer.MAX_VALUE));
        try (GZIPOutputStream gz = new LevelledGzip(out)) {
            if (content != null) {
                gz.write(content);
            } else {
                try (FileOpener.Opened o = FileOpener.open(f.root(), f.realPath());
                     InputStream in = Files.newInputStream(o.path())) {
                    byte[] buf = new byte[16 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        gz.write(buf, 0, n);
                        total += n;
                    }
                    BasicFileAttributes a = Files.readAttributes(o.path(), BasicFileAttributes.class);
                    if (total != f.size() || a.size() != f.size() || a.lastModifiedTime().toMillis() != f.lastModifiedMillis()) {
                        return null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out.size() < f.size() ? out.toByteArray() : NOT_SMALLER;
    }

    /** gzip at level 6 (zlib's default: most of level 9's gain for a fraction of its time). */
    private static final class LevelledGzip extends GZIPOutputStream {
        LevelledGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 16 * 1024);
            def.setLevel(Deflater.DEFAULT_COMPRESSION);
        }
    }
}
