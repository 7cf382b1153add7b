package io.tenk.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * What follows a response head. The handler says what to send; the transport (a model) decides
 * how to move it: a {@link FileRegion} goes out with {@code FileChannel.transferTo} (sendfile),
 * bytes with a write, a {@link Stream} through a pooled buffer. Lengths are longs end to end.
 *
 * <p>A body may hold a resource (a stream); whoever ends the exchange calls {@link #close()},
 * whether the body was sent, skipped (HEAD) or abandoned (the client went away).
 */
public sealed interface Body permits Body.Empty, Body.Bytes, Body.FileRegion, Body.Stream, Body.Parts {

    /** Exact length in bytes; a body's length is always known before its head is sent. */
    long length();

    /** Releases what the body holds. Idempotent; never throws. */
    default void close() {}

    Empty EMPTY = new Empty();

    static Body of(byte[] bytes) { return bytes.length == 0 ? EMPTY : new Bytes(bytes); }

    /** No content. */
    record Empty() implements Body {
        @Override public long length() { return 0; }
    }

    /** Content held in memory (error pages, listings, small cached files). Not copied; do not mutate. */
    record Bytes(byte[] data) implements Body {
        @Override public long length() { return data.length; }
    }

    /**
     * {@code length} bytes of the file at {@code path} from {@code offset}. The path is the real
     * path checked by the resolver, inside the real document {@code root}; the transport opens it
     * beneath that root, following no link and refusing anything but a regular file (so a file
     * swapped for a link or a FIFO since the check is never sent). Should the file shrink while it
     * is being sent, the transport ends the connection: the head already promised {@code length}.
     *
     * <p>{@code fileSize} and {@code modifiedMillis} say what the whole file was when it was
     * checked (-1 when not known). A region that says so may be sent from a descriptor already
     * open for the same file while it still has that size and time, as nginx's open-file cache
     * does; one that does not is opened for itself.
     */
    record FileRegion(Path root, Path path, long offset, long length, long fileSize, long modifiedMillis) implements Body {
        public FileRegion {
            if (root == null || path == null) throw new IllegalArgumentException("a region needs its root and path");
            if (offset < 0 || length < 0) throw new IllegalArgumentException("negative region");
        }

        /** A region of a file whose size and time were not checked: it is opened for itself. */
        public FileRegion(Path root, Path path, long offset, long length) {
            this(root, path, offset, length, -1, -1);
        }

        /** Another part of the same file, which the same descriptor may send. */
        public FileRegion part(long offset, long length) {
            return new FileRegion(root, path, offset, length, fileSize, modifiedMillis);
        }
    }

    /** Content produced as it is sent (e.g. compressed on the fly), of a length known in advance. */
    non-sealed interface Stream extends Body {
        /**
         * Fills {@code dst} with the next bytes; returns how many were put, or -1 at the end.
         * Never blocks on the network (it may read a file).
         */
        int read(ByteBuffer dst) throws IOException;
    }

    /** Several bodies one after the other (e.g. multipart/byteranges: bytes, region, bytes, …). */
    record Parts(List<Body> parts, long length) implements Body {
        public Parts(List<Body> parts) {
            this(List.copyOf(parts), sum(parts));
        }

        private static long sum(List<Body> parts) {
            long n = 0;
            for (Body b : parts) n += b.length();
            return n;
        }

        @Override public void close() {
            for (Body b : parts) b.close();
        }
    }
}
