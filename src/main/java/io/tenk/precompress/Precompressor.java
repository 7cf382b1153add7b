package io.tenk.precompress;

import io.tenk.files.ContentCoding;
import io.tenk.files.MimeTypes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes precompressed siblings ({@code app.js.gz}, {@code app.js.br}, {@code app.js.zst}) beside
 * the compressible files of a site, which the server then prefers over compressing on the fly.
 *
 * <p>Which files: regular files of a compressible type ({@link ContentCoding#compressible}) of
 * at least {@code minBytes}, not under a dot-directory and not dotfiles (the server never serves
 * those). A sibling that is already there and not older than its file is kept (run again after
 * a deploy: only what changed is redone). Each sibling is written to a temporary file and moved
 * into place, so the server never sees half of one; a sibling not smaller than its file is not
 * kept. Files are streamed: memory stays bounded whatever their size.
 */
public final class Precompressor {

    /** What happened, for the summary. */
    public static final class Summary {
        public int files;          // files considered
        public int written;        // siblings written
        public int upToDate;       // siblings already there
        public int notSmaller;     // siblings dropped as not worth it
        public int failed;
        public long originalBytes; // of the files considered
        public final Map<ContentCoding, long[]> perCoding = new EnumMap<>(ContentCoding.class); // {original, compressed}
    }

    /** Hears progress: after each file, {@code done} of {@code total}. */
    public interface Progress {
        void update(int done, int total, Path file);
    }

    private final List<Encoder> encoders;
    private final long minBytes;
    private final boolean force;

    public Precompressor(List<Encoder> encoders, long minBytes, boolean force) {
        this.encoders = List.copyOf(encoders);
        this.minBytes = minBytes;
        this.force = force;
    }

    /** The files of {@code dir} worth precompressing, in a stable order. */
    public List<Path> candidates(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                Path rel = dir.relativize(p);
                boolean hidden = false;
                for (Path part : rel) if (part.toString().startsWith(".")) hidden = true;
                if (hidden || !Files.isRegularFile(p)) continue;
                String name = p.getFileName().toString();
                if (!ContentCoding.compressible(MimeTypes.forName(name))) continue;
                if (Files.size(p) < minBytes) continue;
                out.add(p);
            }
        }
        return out;
    }

    public Summary run(Path dir, Progress progress, List<String> errors) throws IOException {
        List<Path> files = candidates(dir);
        Summary sum = new Summary();
        for (Encoder e : encoders) sum.perCoding.put(e.coding(), new long[2]);
        int done = 0;
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            sum.files++;
            sum.originalBytes += a.size();
            for (Encoder e : encoders) {
                Path sibling = f.resolveSibling(f.getFileName() + e.coding().suffix());
                long[] totals = sum.perCoding.get(e.coding());
                try {
                    if (!force && Files.isRegularFile(sibling)
                            && Files.getLastModifiedTime(sibling).compareTo(a.lastModifiedTime()) >= 0) {
                        sum.upToDate++;
                        totals[0] += a.size();
                        totals[1] += Math.min(Files.size(sibling), a.size());
                        continue;
                    }
                    long size = compress(f, sibling, e);
                    totals[0] += a.size();
                    if (size < 0) {
                        sum.notSmaller++;
                        totals[1] += a.size();
                    } else {
                        sum.written++;
                        totals[1] += size;
                    }
                } catch (IOException | RuntimeException ex) {
                    sum.failed++;
                    errors.add(dir.relativize(f) + e.coding().suffix() + ": " + ex.getMessage());
                }
            }
            progress.update(++done, files.size(), dir.relativize(f));
        }
        return sum;
    }

    /** Writes the sibling; returns its size, or -1 when it was not smaller and was not kept. */
    static long compress(Path file, Path sibling, Encoder e) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".tenk-", ".tmp");
        try {
            try (InputStream in = Files.newInputStream(file);
                 OutputStream out = e.wrap(Files.newOutputStream(tmp))) {
                in.transferTo(out);
            }
            try { // the temporary file is private (0600): give the sibling its file's permissions
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            long size = Files.size(tmp);
            if (size >= Files.size(file)) {
                Files.deleteIfExists(sibling);
                return -1;
            }
            try {
                Files.move(tmp, sibling, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, sibling, StandardCopyOption.REPLACE_EXISTING);
            }
            return size;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
