package io.tenk.handler;

import io.tenk.http.FieldSyntax;
import io.tenk.http.ResponseHead;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static io.tenk.http.FieldSyntax.printable;

/**
 * What one site serves and how: its own root, index names, listing and headers. The CLI fills one
 * today; a config file with several sites will fill one per site. Defaults live in
 * {@code config/ServerConfig}; {@link #bare(Path)} is the plain file server with every feature off
 * (tests of the file logic alone).
 *
 * @param root          the document root, an existing directory
 * @param indexFiles    names tried, in order, for a request naming a directory (plain names: no
 *                      '/', not starting with '.')
 * @param listing       list a directory that has no index file (otherwise 404)
 * @param spa           single-page app: a missing path without a file extension gets /index.html
 * @param corsOrigin    the Access-Control-Allow-Origin to send ({@code *} or one origin), or null for no CORS
 * @param headers       fields added to every response (replacing a field of the same name)
 * @param maxAgeSeconds Cache-Control max-age for files other than HTML; 0 → {@code no-cache}
 *                      (revalidate every time, cheap with the ETag); -1 → no Cache-Control field
 * @param compression   serve precompressed siblings and gzip compressible files on the fly
 * @param openFileCache keep stat results and small files in memory ({@code files/OpenFileCache})
 * @param errorPages    serve {@code 404.html}, {@code 403.html}, {@code 500.html} from the root when present
 */
public record SiteOptions(Path root, List<String> indexFiles, boolean listing, boolean spa, String corsOrigin,
                          List<HeaderField> headers, long maxAgeSeconds, boolean compression, boolean openFileCache,
                          boolean errorPages) {

    public static final List<String> DEFAULT_INDEX = List.of("index.html");

    public SiteOptions {
        indexFiles = List.copyOf(indexFiles);
        headers = List.copyOf(headers);
        for (String name : indexFiles) checkIndexName(name);
        if (maxAgeSeconds < -1) throw new IllegalArgumentException("max-age must be 0 or more seconds");
        if (corsOrigin != null) corsOrigin = checkOrigin(corsOrigin);
    }

    /**
     * Checks a name of {@code indexFiles}: a plain file name, not starting with '.'.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void checkIndexName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("bad index file name '" + name + "' (a plain file name, not starting with '.')");
        }
    }

    /** Every feature off: files, index files, validators and ranges only. */
    public static SiteOptions bare(Path root) { return bare(root, DEFAULT_INDEX); }

    public static SiteOptions bare(Path root, List<String> indexFiles) {
        return new SiteOptions(root, indexFiles, false, false, null, List.of(), -1, false, false, false);
    }

    /**
     * These options with {@code change} applied, checked as a whole:
     * {@code options.with(o -> o.listing(false).spa(true))}.
     *
     * @throws IllegalArgumentException with a user-facing message when the result is invalid
     */
    public SiteOptions with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** Changes to a site's options, checked together when {@link SiteOptions#with} builds them. */
    public static final class Builder {
        private Path root;
        private List<String> indexFiles;
        private boolean listing;
        private boolean spa;
        private String corsOrigin;
        private List<HeaderField> headers;
        private long maxAgeSeconds;
        private boolean compression;
        private boolean openFileCache;
        private boolean errorPages;

        private Builder(SiteOptions o) {
            root = o.root;
            indexFiles = o.indexFiles;
            listing = o.listing;
            spa = o.spa;
            corsOrigin = o.corsOrigin;
            headers = o.headers;
            maxAgeSeconds = o.maxAgeSeconds;
            compression = o.compression;
            openFileCache = o.openFileCache;
            errorPages = o.errorPages;
        }

        public Builder root(Path r) { root = r; return this; }

        public Builder indexFiles(List<String> names) { indexFiles = names; return this; }

        public Builder listing(boolean on) { listing = on; return this; }

        public Builder spa(boolean on) { spa = on; return this; }

        /** {@code *} or one origin; null for no CORS. */
        public Builder cors(String origin) { corsOrigin = origin; return this; }

        public Builder headers(List<HeaderField> h) { headers = h; return this; }

        public Builder maxAge(long seconds) { maxAgeSeconds = seconds; return this; }

        public Builder compression(boolean on) { compression = on; return this; }

        public Builder openFileCache(boolean on) { openFileCache = on; return this; }

        public Builder errorPages(boolean on) { errorPages = on; return this; }

        private SiteOptions build() {
            return new SiteOptions(root, indexFiles, listing, spa, corsOrigin, headers, maxAgeSeconds, compression,
                    openFileCache, errorPages);
        }
    }

    /** {@code *}, or an origin {@code scheme://host[:port]} with nothing after it. */
    static String checkOrigin(String origin) {
        String o = origin.strip();
        if (o.equals("*")) return o;
        if (!o.matches("(?i)[a-z][a-z0-9+.-]*://[A-Za-z0-9.\\-\\[\\]:]+")) {
            throw new IllegalArgumentException("bad CORS origin '" + origin + "': expected * or scheme://host[:port]");
        }
        return o.toLowerCase(Locale.ROOT);
    }

    /**
     * A response field to add, checked: the name a token (RFC 9110 §5.6.2), the value visible
     * ASCII, spaces and tabs only (no CR, LF or other control characters).
     */
    public record HeaderField(String name, String value) {
        public HeaderField {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty header name");
            if (!FieldSyntax.isToken(name)) throw new IllegalArgumentException("bad header name '" + printable(name) + "'");
            if (ResponseHead.owns(name)) throw new IllegalArgumentException("tenk sets " + name + " itself");
            value = value == null ? "" : value.strip();
            if (!FieldSyntax.isValue(value) || value.chars().anyMatch(c -> c > 0xff)) {
                throw new IllegalArgumentException("bad character in the value of header " + name
                        + " (control characters such as CR and LF are not allowed)");
            }
        }

        /** Parses {@code "Name: value"}. */
        public static HeaderField parse(String line) {
            int colon = line == null ? -1 : line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("bad header '" + printable(line) + "': expected \"Name: value\"");
            }
            String name = line.substring(0, colon);
            if (!name.equals(name.strip())) throw new IllegalArgumentException("bad header '" + printable(line) + "': no space before ':'");
            return new HeaderField(name, line.substring(colon + 1));
        }
    }
}
