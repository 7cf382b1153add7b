package io.tenk.files;

import java.util.List;
import java.util.Locale;

/**
 * The content codings tenk sends (RFC 9110 §8.4.1), with the file suffix of their precompressed
 * siblings, in the server's order of preference when a client accepts several equally.
 */
public enum ContentCoding {
    BR("br", ".br"),
    ZSTD("zstd", ".zst"),
    GZIP("gzip", ".gz");

    /** Every coding, best first: the order in which precompressed siblings are looked for. */
    public static final List<ContentCoding> PREFERRED = List.of(values());

    /** The suffixes of precompressed siblings ({@code .br}, {@code .zst}, {@code .gz}). */
    public static final List<String> SUFFIXES = PREFERRED.stream().map(ContentCoding::suffix).toList();

    private final String token;
    private final String suffix;

    ContentCoding(String token, String suffix) {
        this.token = token;
        this.suffix = suffix;
    }

    /** The Content-Encoding token, e.g. {@code br}. */
    public String token() { return token; }

    /** The file-name suffix of a precompressed sibling, e.g. {@code .br}. */
    public String suffix() { return suffix; }

    /**
     * Whether a Content-Type is worth compressing: text, and the structured text formats
     * (JSON, XML, JavaScript, SVG, WebAssembly, fonts without built-in compression). Images,
     * audio, video and archives are compressed already.
     */
    public static boolean compressible(String contentType) {
        if (contentType == null) return false;
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) t = t.substring(0, semi).strip();
        return t.startsWith("text/")
                || t.endsWith("+json") || t.endsWith("+xml") || t.endsWith("/json") || t.endsWith("/xml")
                || t.equals("application/javascript") || t.equals("application/wasm")
                || t.equals("image/svg+xml") || t.equals("image/x-icon") || t.equals("image/vnd.microsoft.icon")
                || t.equals("font/ttf") || t.equals("font/otf") || t.equals("application/vnd.ms-fontobject");
    }
}
