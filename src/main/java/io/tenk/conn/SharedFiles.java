package io.tenk.conn;

import io.tenk.config.ServerConfig;
import io.tenk.files.FileOpener;
import io.tenk.http.Body;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The files being sent, kept open between responses, as nginx's open_file_cache keeps their
 * descriptors: a hot file sent from disk costs no open, stat or close per response, and no
 * {@code FileChannel} on the heap.
 *
 * <p>A region is sent from a kept descriptor only when it says what its file was when checked
 * ({@link Body.FileRegion#fileSize()}, {@link Body.FileRegion#modifiedMillis()}) and the kept
 * descriptor's file had that size and time when it was opened; a changed file is opened again.
 * A descriptor is kept for {@link ServerConfig#OPEN_FILE_CACHE_VALIDITY} (1 s) at most, so a file
 * replaced by one of the same size and time (which the entity-tag cannot tell apart either) is
 * seen within that time, and a deleted file's space is given back. Expired descriptors are closed
 * by the next response that asks for any file after that time, as nginx does; at most
 * {@link ServerConfig#keptFiles()} are kept (512, fewer under a low descriptor limit), the oldest
 * closed first.
 *
 * <p>Every sender holds a reference ({@link Open#release()} when done), the cache one more while
 * the file is in it; whoever drops the last closes the channel, so a descriptor is never closed
 * under a response still sending from it. The channels are uninterruptible: an interrupted
 * thread (a blocking model stopping) must not close a channel other connections send from. Where
 * the JDK does not let tenk say so (no {@code --add-exports java.base/sun.nio.ch}), nothing is
 * shared and each region is opened for itself, as before.
 *
 * <p>Opening is always {@link FileOpener}'s: beneath the root, no link followed, regular files
 * only. Thread-safe: event loops on different cores share no lock ({@link ConcurrentHashMap} reads).
 */
final class SharedFiles {

    /** The process's one cache, for every connection; as many as nginx's {@code open_file_cache max=}. */
    static final SharedFiles PROCESS = new SharedFiles(ServerConfig.keptFiles(), ServerConfig.OPEN_FILE_CACHE_VALIDITY.toNanos(),
            System::nanoTime);

    private static final MethodHandle UNINTERRUPTIBLE = uninterruptible();

    /** A file's channel, opened for one region or shared by many; {@link #release()} it when done. */
    static final class Open {
        private static final VarHandle REFS;

        static {
            try {
                REFS = MethodHandles.lookup().findVarHandle(Open.class, "refs", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The path it is kept under, or null when opened for one region only. */
        final Path path;
        final FileChannel channel;
        final long size;
        final long modifiedMillis;
        final long openedAt;
        /** Senders, and one for the cache while the file is in it; 0 once closed. */
        @SuppressWarnings("unused") private volatile int refs;

        private Open(Path path, FileChannel channel, long size, long modifiedMillis, long openedAt, int refs) {
            this.path = path;
            this.channel = channel;
            this.size = size;
            this.modifiedMillis = modifiedMillis;
            this.openedAt = openedAt;
            this.refs = refs;
        }

        /** Takes a reference unless the channel is closed already. */
        boolean retain() {
            int r;
            do {
                r = refs;
                if (r == 0) return false;
            } while (!REFS.compareAndSet(this, r, r + 1));
            return true;
        }

        /** Drops a reference; the last closes the channel. */
        void release() {
            if ((int) REFS.getAndAdd(this, -1) == 1) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // a read-only descriptor: close(2) releases it whatever it says
                }
            }
        }

        /** Whether this is the file the region was cut from: the same size and time, and the region inside it. */
        boolean fits(Body.FileRegion r) {
            return size == r.fileSize() && modifiedMillis == r.modifiedMillis() && r.offset() + r.length() <= size;
        }
    }

    private final int max;
    private final long validityNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Path, Open> open = new ConcurrentHashMap<>();
    private volatile long sweptAt;

    SharedFiles(int max, long validityNanos, LongSupplier clock) {
        this.max = max;
        this.validityNanos = validityNanos;
        this.clock = clock;
        this.sweptAt = clock.getAsLong();
    }

    /**
     * An open channel holding at least the region's bytes, retained for the caller, who releases
     * it once the region is sent or abandoned.
     *
     * @throws NoSuchFileException the file is gone, is no longer a regular file beneath the root,
     *                             or is now too short for the region
     */
    Open open(Body.FileRegion r) throws IOException {
        if (r.fileSize() < 0 || UNINTERRUPTIBLE == null || validityNanos <= 0) return alone(r);
        long now = clock.getAsLong();
        Open kept = open.get(r.path());
        if (kept != null && kept.fits(r) && now - kept.openedAt < validityNanos && kept.retain()) {
            if (now - sweptAt >= validityNanos) sweep(now);
            return kept;
        }
        Open fresh = openFile(r, now, true);
        if (fresh.path == null) return fresh; // changed since the region was cut: sent once, not kept
        Open replaced = open.put(fresh.path, fresh);
        if (replaced != null) replaced.release();
        if (open.size() > max || now - sweptAt >= validityNanos) sweep(now);
        return fresh;
    }

    /** Opens the region's file for this region only. */
    private Open alone(Body.FileRegion r) throws IOException {
        return openFile(r, 0, false);
    }

    /**
     * Opens the region's file; with {@code share}, and when it is the file the region was cut
     * from, as a channel to keep (the caller's reference and the cache's, its path set).
     */
    private static Open openFile(Body.FileRegion r, long now, boolean share) throws IOException {
        FileChannel channel;
        long modified;
        // opened beneath the root as a regular file, then reopened by descriptor as a channel
        try (FileOpener.Opened o = FileOpener.open(r.root(), r.path())) {
            channel = FileChannel.open(o.path(), StandardOpenOption.READ);
            modified = o.attributes().lastModifiedTime().toMillis();
        }
        try {
            long size = channel.size();
            // replaced by a shorter file since it was checked: it cannot keep the length promised
            if (size < r.offset() + r.length()) throw new NoSuchFileException("file changed since it was checked");
            boolean kept = share && size == r.fileSize() && modified == r.modifiedMillis() && uninterruptible(channel);
            return new Open(kept ? r.path() : null, channel, size, modified, now, kept ? 2 : 1);
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    /** Makes {@code channel} uninterruptible; false when it cannot be. */
    private static boolean uninterruptible(FileChannel channel) {
        try {
            UNINTERRUPTIBLE.invoke(channel);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Closes what expired, then the oldest until at most seven eighths of the bound are kept. */
    private void sweep(long now) {
        sweptAt = now;
        List<Open> live = new ArrayList<>();
        for (var e : open.entrySet()) {
            Open f = e.getValue();
            if (now - f.openedAt >= validityNanos) {
                if (open.remove(e.getKey(), f)) f.release();
            } else {
                live.add(f);
            }
        }
        int keep = max - max / 8;
        if (live.size() <= keep) return;
        live.sort(Comparator.comparingLong(f -> f.openedAt));
        for (int i = 0; i < live.size() - keep; i++) {
            Open f = live.get(i);
            if (open.remove(f.path, f)) f.release();
        }
    }

    /** Descriptors kept now (for tests). */
    int kept() { return open.size(); }

    /** {@code FileChannelImpl.setUninterruptible}, or null where the JDK does not open it to tenk. */
    private static MethodHandle uninterruptible() {
        try {
            Class<?> impl = Class.forName("sun.nio.ch.FileChannelImpl");
            return MethodHandles.lookup().findVirtual(impl, "setUninterruptible", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, FileChannel.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
