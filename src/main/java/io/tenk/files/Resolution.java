package io.tenk.files;

import java.nio.file.Path;

/** What a request path maps to under the document root ({@link PathResolver#resolve}). */
public sealed interface Resolution {

    /** The path is malformed or climbs above the root: answer 400. */
    record Invalid() implements Resolution {}

    /**
     * Nothing may be served here: missing, a dotfile, outside the root (e.g. through a symlink),
     * not a regular file or directory, or a file asked for as a directory. Answer 404.
     */
    record NotFound() implements Resolution {}

    /** The file exists but the server may not read it (permissions): answer 403. */
    record Forbidden() implements Resolution {}

    /**
     * A readable regular file inside the root, with what every response for it says, worked out
     * once per lookup (a cached lookup serves many requests) rather than once per request.
     *
     * @param realPath           the real path (symlinks resolved), inside the real root
     * @param size               its size in bytes at the time of the stat
     * @param lastModifiedMillis its modification time
     * @param root               the real document root it was found in; it is opened beneath it
     *                           ({@link FileOpener}), never by its path alone
     * @param etag               {@link Validators#etag(long, long)} of the size and time
     * @param lastModified       {@link Validators#lastModified(long)}: the Last-Modified value
     * @param contentType        {@link MimeTypes#forName} of its name
     * @param compressible       {@link ContentCoding#compressible} of its type
     * @param onDisk             the file as it is, sent from disk: its {@link Representation},
     *                           made with it so that a cached lookup serves it to every request
     */
    record File(Path realPath, long size, long lastModifiedMillis, Path root,
                String etag, String lastModified, String contentType, boolean compressible,
                Representation onDisk) implements Resolution {

        public File(Path realPath, long size, long lastModifiedMillis, Path root) {
            this(realPath, size, lastModifiedMillis, root, Validators.etag(size, lastModifiedMillis),
                    Validators.lastModified(lastModifiedMillis), MimeTypes.forName(realPath.getFileName().toString()));
        }

        private File(Path realPath, long size, long lastModifiedMillis, Path root, String etag, String lastModified,
                     String contentType) {
            this(realPath, size, lastModifiedMillis, root, etag, lastModified, contentType,
                    ContentCoding.compressible(contentType),
                    new Representation(null, size, lastModifiedMillis, etag, lastModified, root, realPath, null));
        }
    }

    /**
     * A directory inside the root.
     *
     * @param realPath      the real path (symlinks resolved), inside the real root
     * @param canonicalPath the directory's URL path: normalised ("." and empty segments dropped,
     *                      ".." applied), re-percent-encoded, always starting and ending with
     *                      '/' ("/" for the root). Never starts with "//" and holds no '\'.
     */
    record Directory(Path realPath, String canonicalPath) implements Resolution {}

    Invalid INVALID = new Invalid();
    NotFound NOT_FOUND = new NotFound();
    Forbidden FORBIDDEN = new Forbidden();
}
