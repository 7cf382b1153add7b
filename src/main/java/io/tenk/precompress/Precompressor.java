package io.tenk.precompress;

import io.tenk.files.ContentCoding;
import io.tenk.files.FileOpener;
import io.tenk.files.MimeTypes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes precompressed siblings ({@code app.js.gz}, {@code app.js.br}, {@code app.js.zst}) beside
 * the compressible files of a site, which the server then prefers over compressing on the fly.
 *
 * <p>Which files: regular files of a compressible type ({@link ContentCoding#compressible}) of
 * at least {@code minBytes}, not under a dot-directory and not dotfiles (the server never serves
 * those), and never through a symbolic link ({@link #candidates}); each is opened with
 * {@link FileOpener}, so one swapped for a link or a FIFO meanwhile is skipped, not followed.
 * What cannot be read is skipped and reported, and the run goes on. A sibling that is already there and not older than its file is kept (run again after
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
        public final List<Path> skipped = new ArrayList<>(); // could not be read: relative paths
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

    /**
     * The files of {@code dir} worth precompressing, in a stable order. Symbolic links are not
     * followed, to a file or a directory: what a link inside the tree points to gets its own
     * sibling where it lies (and the server looks for siblings beside a link's target), and a link
     * out of the tree is nobody's to compress. A directory or file that cannot be read is added to
     * {@code unreadable} (relative to {@code dir}) and skipped.
     */
    public List<Path> candidates(Path dir, List<Path> unreadable) throws IOException {
        Path root = dir.toRealPath();
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                if (!d.equals(root) && d.getFileName().toString().startsWith(".")) return FileVisitResult.SKIP_SUBTREE;
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                // attributes of the entry itself: a link is neither a regular file nor followed
                String name = f.getFileName().toString();
                if (!a.isRegularFile() || name.startsWith(".")) return FileVisitResult.CONTINUE;
                if (!ContentCoding.compressible(MimeTypes.forName(name)) || a.size() < minBytes) return FileVisitResult.CONTINUE;
                if (Files.isReadable(f)) out.add(f);
                else unreadable.add(root.relativize(f));
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFileFailed(Path f, IOException e) {
                unreadable.add(root.relativize(f));
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        unreadable.sort(null);
        return out;
    }

    /**
     * Precompresses the candidates of {@code dir}. What cannot be read is skipped and named in
     * {@link Summary#skipped}; a sibling that cannot be written is named in {@code errors}.
     */
    public Summary run(Path dir, Progress progress, List<String> errors) throws IOException {
        Summary sum = new Summary();
        Path root = dir.toRealPath();
        List<Path> files = candidates(root, sum.skipped);
        for (Encoder e : encoders) sum.perCoding.put(e.coding(), new long[2]);
        int done = 0;
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            sum.files++;
            sum.originalBytes += a.size();
            for (Encoder e : encoders) {
                Path sibling = f.resolveSibling(f.getFileName() + e.coding().suffix());
                long[] totals = sum.perCoding.get(e.coding());
                try {
                    if (!force && Files.isRegularFile(sibling, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(sibling, LinkOption.NOFOLLOW_LINKS).compareTo(a.lastModifiedTime()) >= 0) {
                        sum.upToDate++;
                        totals[0] += a.size();
                        totals[1] += Math.min(Files.size(sibling), a.size());
                        continue;
                    }
                    long size = compress(root, f, sibling, e);
                    totals[0] += a.size();
                    if (size < 0) {
                        sum.notSmaller++;
                        totals[1] += a.size();
                    } else {
                        sum.written++;
                        totals[1] += size;
                    }
                } catch (AccessDeniedException | NoSuchFileException ex) {
                    // became unreadable, or was replaced by a link or removed, since the walk
                    sum.skipped.add(root.relativize(f));
                    break;
                } catch (IOException | RuntimeException ex) {
                    sum.failed++;
                    errors.add(root.relativize(f) + e.coding().suffix() + ": " + ex.getMessage());
                }
            }
            progress.update(++done, files.size(), root.relativize(f));
        }
        return sum;
    }

    /** Writes the sibling; returns its size, or -1 when it was not smaller and was not kept. */
    static long compress(Path root, Path file, Path sibling, Encoder e) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".tenk-", ".tmp");
        // opened as the server opens files: a regular file beneath the root, through no link
        try (FileOpener.Opened source = FileOpener.open(root, file)) {
            try (InputStream in = Files.newInputStream(source.path());
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
