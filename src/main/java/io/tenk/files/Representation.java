package io.tenk.files;

import io.tenk.http.Body;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The bytes chosen to answer a request for a file: the file as it is, a precompressed sibling
 * ({@code app.js.br}), or the file gzipped in memory. Validators and ranges apply to this, not to
 * the file it stands for (RFC 9110 §8.8.3: each encoding has its own entity-tag, and a range of a
 * gzip representation is a range of the gzip bytes).
 *
 * @param coding             the Content-Encoding, or null for identity
 * @param size               the length of the representation in bytes
 * @param lastModifiedMillis the modification time of the bytes served (a sibling's own)
 * @param etag               the strong entity-tag, quotes included
 * @param lastModified       the Last-Modified value of {@code lastModifiedMillis}
 * @param root               the real document root the file lies beneath, or null with {@code bytes}
 * @param path               the real path to send from, or null when {@code bytes} hold the content
 * @param bytes              the content in memory (small cached files, on-the-fly gzip), or null
 * @param whole              all of it as a body, made once (null: made here): a response for the
 *                           whole representation sends this one, so a kept representation costs
 *                           no body per response
 */
public record Representation(ContentCoding coding, long size, long lastModifiedMillis, String etag,
                             String lastModified, Path root, Path path, byte[] bytes, Body whole) {

    public Representation {
        if ((path == null) == (bytes == null)) throw new IllegalArgumentException("one of path and bytes");
        if ((path == null) != (root == null)) throw new IllegalArgumentException("a path comes with its root");
        if (bytes != null && bytes.length != size) throw new IllegalArgumentException("size mismatch");
        if (whole == null) whole = path != null ? new Body.FileRegion(root, path, 0, size, size, lastModifiedMillis) : Body.of(bytes);
        if (whole.length() != size) throw new IllegalArgumentException("the whole body is not the representation's size");
    }

    /** A representation whose whole body is made here. */
    public Representation(ContentCoding coding, long size, long lastModifiedMillis, String etag,
                          String lastModified, Path root, Path path, byte[] bytes) {
        this(coding, size, lastModifiedMillis, etag, lastModified, root, path, bytes, null);
    }

    /**
     * The file as it is, sent from disk, or from {@code cached} (its content) when not null. From
     * disk it is the file's own, made once per lookup ({@link Resolution.File#onDisk()}).
     */
    public static Representation identity(Resolution.File f, byte[] cached) {
        if (cached == null) return f.onDisk();
        return new Representation(null, f.size(), f.lastModifiedMillis(), f.etag(), f.lastModified(), null, null, cached);
    }

    /** A precompressed sibling file. */
    public static Representation sibling(ContentCoding coding, Resolution.File sibling) {
        return new Representation(coding, sibling.size(), sibling.lastModifiedMillis(),
                Validators.etag(sibling.size(), sibling.lastModifiedMillis(), coding), sibling.lastModified(),
                sibling.root(), sibling.realPath(), null);
    }

    /** The original file compressed in memory; tagged from the original's validators. */
    public static Representation encoded(ContentCoding coding, Resolution.File original, byte[] compressed) {
        return new Representation(coding, compressed.length, original.lastModifiedMillis(),
                Validators.etag(original.size(), original.lastModifiedMillis(), coding), original.lastModified(),
                null, null, compressed);
    }

    /** {@code length} bytes from {@code offset}, as a body: {@link #whole()} when that is all of it. */
    public Body slice(long offset, long length) {
        if (length == 0) return Body.EMPTY;
        if (offset == 0 && length == size) return whole;
        if (path != null) return new Body.FileRegion(root, path, offset, length, size, lastModifiedMillis);
        return new Body.Bytes(Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length)));
    }
}
