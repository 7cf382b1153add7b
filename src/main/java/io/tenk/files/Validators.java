package io.tenk.files;

import io.tenk.http.HttpDate;

/**
 * Validators of a file (RFC 9110 §8.8), taken from its metadata only, never from its content:
 * computing them costs nothing beyond the stat the handler already made.
 *
 * <p>The ETag is strong: {@code "<mtime-millis-hex>-<size-hex>"}. Its honest limit is that of
 * every metadata ETag (nginx, Go, Apache by default): a rewrite that keeps both the size and the
 * millisecond of modification is not seen.
 */
public final class Validators {
    private Validators() {}

    /** The strong entity-tag, quotes included, e.g. {@code "18c5f2a3b10-1f4"}. */
    public static String etag(long size, long lastModifiedMillis) {
        return '"' + Long.toHexString(lastModifiedMillis) + '-' + Long.toHexString(size) + '"';
    }

    /**
     * The strong entity-tag of an encoded representation: the file's tag with the coding appended,
     * e.g. {@code "18c5f2a3b10-1f4-gzip"}, so that every encoding of a file has its own tag.
     */
    public static String etag(long size, long lastModifiedMillis, ContentCoding coding) {
        if (coding == null) return etag(size, lastModifiedMillis);
        return '"' + Long.toHexString(lastModifiedMillis) + '-' + Long.toHexString(size) + '-' + coding.token() + '"';
    }

    /** The modification time in whole seconds, as HTTP dates carry it (floored, so never in the future). */
    public static long seconds(long lastModifiedMillis) {
        return Math.floorDiv(lastModifiedMillis, 1000L);
    }

    /** The Last-Modified field value (IMF-fixdate). */
    public static String lastModified(long lastModifiedMillis) {
        return HttpDate.format(seconds(lastModifiedMillis));
    }
}
