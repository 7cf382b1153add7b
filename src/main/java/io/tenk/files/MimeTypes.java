package io.tenk.files;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Media types by file-name extension, for the web's common file types. Text types carry
 * {@code ; charset=utf-8} (a static site is expected to be UTF-8). The extension is what follows
 * the last '.', compared case-insensitively; a name without one (or a dotfile such as
 * {@code .profile}) and unknown extensions give {@value #DEFAULT}.
 */
public final class MimeTypes {
    /** The type for content tenk cannot name: clients treat it as opaque bytes (and do not sniff it as HTML). */
    public static final String DEFAULT = "application/octet-stream";

    private static final String UTF8 = "; charset=utf-8";
    private static final Map<String, String> BY_EXTENSION = new HashMap<>(128);

    static {
        // text
        text("text/html", "html", "htm");
        text("text/css", "css");
        text("text/javascript", "js", "mjs", "cjs"); // RFC 9239
        text("text/plain", "txt", "text", "log", "conf", "ini");
        text("text/markdown", "md", "markdown");
        text("text/csv", "csv");
        text("text/tab-separated-values", "tsv");
        text("text/calendar", "ics");
        text("text/vtt", "vtt");
        text("application/json", "json");
        text("application/json", "map"); // source maps
        text("application/ld+json", "jsonld");
        text("application/manifest+json", "webmanifest");
        text("model/gltf+json", "gltf");
        text("application/xml", "xml", "xsl", "xsd");
        text("application/xhtml+xml", "xhtml");
        text("application/rss+xml", "rss");
        text("application/atom+xml", "atom");
        text("image/svg+xml", "svg");
        text("application/yaml", "yaml", "yml"); // RFC 9512
        text("application/toml", "toml");
        // images
        binary("image/png", "png");
        binary("image/apng", "apng");
        binary("image/jpeg", "jpg", "jpeg", "jfif", "pjpeg", "pjp");
        binary("image/gif", "gif");
        binary("image/webp", "webp");
        binary("image/avif", "avif");
        binary("image/jxl", "jxl");
        binary("image/heic", "heic");
        binary("image/x-icon", "ico", "cur");
        binary("image/bmp", "bmp");
        binary("image/tiff", "tif", "tiff");
        // fonts
        binary("font/woff", "woff");
        binary("font/woff2", "woff2");
        binary("font/ttf", "ttf");
        binary("font/otf", "otf");
        binary("font/collection", "ttc");
        binary("application/vnd.ms-fontobject", "eot");
        // audio and video
        binary("video/mp4", "mp4", "m4v");
        binary("video/webm", "webm");
        binary("video/ogg", "ogv");
        binary("video/quicktime", "mov");
        binary("video/x-matroska", "mkv");
        binary("video/mpeg", "mpeg", "mpg");
        binary("audio/ogg", "ogg", "oga", "opus");
        binary("audio/mpeg", "mp3");
        binary("audio/wav", "wav");
        binary("audio/flac", "flac");
        binary("audio/mp4", "m4a");
        binary("audio/aac", "aac");
        binary("audio/midi", "mid", "midi");
        // archives and documents
        binary("application/pdf", "pdf");
        binary("application/zip", "zip");
        binary("application/gzip", "gz", "tgz");
        binary("application/x-tar", "tar");
        binary("application/x-brotli", "br");
        binary("application/zstd", "zst"); // RFC 8878
        binary("application/x-bzip2", "bz2");
        binary("application/x-xz", "xz");
        binary("application/x-7z-compressed", "7z");
        binary("application/epub+zip", "epub");
        binary("application/java-archive", "jar");
        binary("application/rtf", "rtf");
        binary("application/wasm", "wasm");
        binary("model/gltf-binary", "glb");
        binary("application/octet-stream", "bin", "exe", "dll", "iso", "dmg");
    }

    private MimeTypes() {}

    private static void text(String type, String... extensions) { put(type + UTF8, extensions); }

    private static void binary(String type, String... extensions) { put(type, extensions); }

    private static void put(String type, String[] extensions) {
        for (String e : extensions) {
            if (BY_EXTENSION.put(e, type) != null) throw new ExceptionInInitializerError("duplicate extension " + e);
        }
    }

    /** The Content-Type value for a file name (a name, not a path: only its extension counts). */
    public static String forName(String fileName) {
        if (fileName == null) return DEFAULT;
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0 || dot == fileName.length() - 1) return DEFAULT;
        String ext = fileName.substring(dot + 1);
        String type = BY_EXTENSION.get(ext);
        if (type == null) type = BY_EXTENSION.get(ext.toLowerCase(Locale.ROOT));
        return type != null ? type : DEFAULT;
    }
}
