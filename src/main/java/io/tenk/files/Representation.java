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
 */
public record Representation(ContentCoding coding, long size, long lastModifiedMillis, String etag,
                             String lastModified, Path root, Path path, byte[] bytes) {

    public Representation {
        if ((path == null) == (bytes == null)) throw new IllegalArgumentException("one of path and bytes");
        if ((path == null) != (root == null)) throw new IllegalArgumentException("a path comes with its root");
        if (bytes != null && bytes.length != size) throw new IllegalArgumentException("size mismatch");
    }

    /** The file as it is, sent from disk, or from {@code cached} (its content) when not null. */
    public static Representation identity(Resolution.File f, byte[] cached) {
        return new Representation(null, f.size(), f.lastModifiedMillis(), f.etag(), f.lastModified(),
                cached == null ? f.root() : null, cached == null ? f.realPath() : null, cached);
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

    /** {@code length} bytes from {@code offset}, as a body. */
    public Body slice(long offset, long length) {
        if (length == 0) return Body.EMPTY;
        if (path != null) return new Body.FileRegion(root, path, offset, length, size, lastModifiedMillis);
        if (offset == 0 && length == bytes.length) return new Body.Bytes(bytes);
        return new Body.Bytes(Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length)));
    }
}
