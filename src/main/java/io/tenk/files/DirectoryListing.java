package io.tenk.files;

import io.tenk.http.PercentCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * The listing of a directory, as an HTML page or as JSON.
 *
 * <p>What is listed: the entries the server would serve, and only those. Dotfiles are never
 * listed; each other name goes through {@link PathResolver#child}, so a symlink leading out of
 * the root, a fifo or a device is left out just as it would be refused. At most
 * {@link #MAX_ENTRIES} names are listed: the first in name order (directories first among them);
 * the page and the JSON say how many more were left out. Reading a directory of any size holds at
 * most {@link #MAX_ENTRIES} names.
 *
 * <p>Safety: every name shown is HTML-escaped and every link is the name percent-encoded as one
 * path segment, relative to the directory ({@code ./} in front when it holds a ':', so that
 * {@code javascript:alert(1)} is not read as a scheme), so a file called
 * {@code <img src=x onerror=alert(1)>.txt} shows as text and its link fetches that file. The page
 * carries its own Content-Security-Policy ({@link #CONTENT_SECURITY_POLICY}: its inline style and
 * script are allowed by their hashes), so one rendering serves every reader.
 *
 * @param path    the directory's URL path (percent-encoded, starting and ending with '/')
 * @param entries the entries, directories first then by name
 * @param omitted how many names were left out past {@link #MAX_ENTRIES}
 */
public record DirectoryListing(String path, List<Entry> entries, int omitted) {
    public static final int MAX_ENTRIES = 5_000;

    /** Name order: case-insensitive, then exact. */
    private static final Comparator<String> NAME_ORDER = String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

    /**
     * @param name               the decoded file name
     * @param directory          whether it is a directory
     * @param size               bytes (files), -1 for directories
     * @param lastModifiedMillis modification time
     */
    public record Entry(String name, boolean directory, long size, long lastModifiedMillis) {
        /** The link to the entry, relative to the listed directory (never a scheme: {@code ./a:b}). */
        public String href() {
            String segment = PercentCodec.encodeSegment(name) + (directory ? "/" : "");
            return segment.indexOf(':') >= 0 ? "./" + segment : segment;
        }
    }

    /** Whether names were left out. */
    public boolean truncated() { return omitted > 0; }

    /** Reads the directory; null when it cannot be read. */
    public static DirectoryListing of(PathResolver resolver, Resolution.Directory dir) {
        // the first MAX_ENTRIES names in name order, kept in a heap whose top is the last of them
        PriorityQueue<String> first = new PriorityQueue<>(NAME_ORDER.reversed());
        int total = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.realPath())) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) continue;
                total++;
                if (first.size() < MAX_ENTRIES) {
                    first.add(name);
                } else if (NAME_ORDER.compare(name, first.peek()) < 0) {
                    first.poll();
                    first.add(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int omitted = total - first.size();
        List<Entry> entries = new ArrayList<>(first.size());
        for (String name : first) {
            switch (resolver.child(dir, name)) {
                case Resolution.File f -> entries.add(new Entry(name, false, f.size(), f.lastModifiedMillis()));
                case Resolution.Directory d -> entries.add(new Entry(name, true, -1, mtime(d.realPath())));
                case Resolution.Forbidden _ -> {
                    // unreadable: listed (the user may wonder where it went) but it will answer 403
                    entries.add(new Entry(name, false, -1, mtime(dir.realPath().resolve(name))));
                }
                default -> { }
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> !e.directory()).thenComparing(Entry::name, NAME_ORDER));
        return new DirectoryListing(dir.canonicalPath(), List.copyOf(entries), omitted);
    }

    private static long mtime(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).lastModifiedTime().toMillis();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The decoded display path, e.g. {@code /docs/my files/}. */
    public String displayPath() {
        StringBuilder sb = new StringBuilder("/");
        for (String seg : segments()) sb.append(seg).append('/');
        return sb.toString();
    }

    private List<String> segments() {
        List<String> out = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (raw.isEmpty()) continue;
            String d = PercentCodec.decode(raw);
            out.add(d == null ? raw : d);
        }
        return out;
    }

    // ---- JSON ----

    /**
     * {@code {"path":"/docs/","entries":[{"name":…,"type":"file"|"directory","size":…,"modified":…,"href":…}],"truncated":false,"omitted":0}}:
     * {@code omitted} names were left out past {@link #MAX_ENTRIES}.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(128 + entries.size() * 96);
        sb.append("{\"path\":");
        json(sb, displayPath());
        sb.append(",\"entries\":[");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"name\":");
            json(sb, e.name());
            sb.append(",\"type\":\"").append(e.directory() ? "directory" : "file").append('"');
            if (!e.directory()) sb.append(",\"size\":").append(e.size());
            sb.append(",\"modified\":\"").append(Instant.ofEpochMilli(e.lastModifiedMillis())).append('"');
            sb.append(",\"href\":");
            json(sb, e.href());
            sb.append('}');
        }
        sb.append("],\"truncated\":").append(truncated()).append(",\"omitted\":").append(omitted).append("}\n");
        return sb.toString();
    }

    static void json(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ---- HTML ----

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The HTML page, to be sent with {@link #CONTENT_SECURITY_POLICY}, which allows its inline style and script. */
    public String toHtml() {
        String title = "Index of " + displayPath();
        StringBuilder sb = new StringBuilder(2048 + entries.size() * 256);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
        html(sb, title);
        sb.append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<header><nav class=\"crumbs\" aria-label=\"Breadcrumbs\">");
        sb.append("<a href=\"/\">Home</a><span>/</span>");
        List<String> segs = segments();
        StringBuilder href = new StringBuilder("/");
        for (int i = 0; i < segs.size(); i++) {
            href.append(PercentCodec.encodeSegment(segs.get(i))).append('/');
            if (i == segs.size() - 1) {
                sb.append("<strong>");
                html(sb, segs.get(i));
                sb.append("</strong>");
            } else {
                sb.append("<a href=\"").append(href).append("\">");
                html(sb, segs.get(i));
                sb.append("</a>");
            }
            sb.append("<span>/</span>");
        }
        sb.append("</nav>\n<p class=\"count\">").append(entries.size()).append(entries.size() == 1 ? " entry" : " entries")
                .append(truncated() ? "; " + omitted + " more not shown (a listing shows at most " + MAX_ENTRIES + ")" : "").append("</p></header>\n<main>\n<table id=\"listing\">\n<thead><tr>")
                .append("<th class=\"name\"><button data-sort=\"name\" aria-sort=\"ascending\">Name</button></th>")
                .append("<th class=\"size\"><button data-sort=\"size\">Size</button></th>")
                .append("<th class=\"date\"><button data-sort=\"date\">Modified</button></th></tr></thead>\n<tbody>\n");
        if (!segs.isEmpty()) {
            sb.append("<tr class=\"up\"><td class=\"name\"><a href=\"../\"><span class=\"i i-up\" aria-hidden=\"true\"></span>Parent directory</a></td><td class=\"size\"></td><td class=\"date\"></td></tr>\n");
        }
        for (Entry e : entries) {
            sb.append("<tr data-name=\"");
            html(sb, e.name().toLowerCase(Locale.ROOT));
            sb.append("\" data-size=\"").append(e.directory() ? -1 : e.size())
                    .append("\" data-date=\"").append(e.lastModifiedMillis())
                    .append("\" data-dir=\"").append(e.directory() ? 1 : 0).append("\">")
                    .append("<td class=\"name\"><a href=\"").append(e.href()).append("\"><span class=\"i i-").append(icon(e)).append("\" aria-hidden=\"true\"></span>");
            html(sb, e.name());
            if (e.directory()) sb.append('/');
            sb.append("</a></td><td class=\"size\">").append(e.directory() ? "—" : e.size() < 0 ? "?" : humanSize(e.size()))
                    .append("</td><td class=\"date\"><time datetime=\"").append(Instant.ofEpochMilli(e.lastModifiedMillis()))
                    .append("\">").append(DATE.format(Instant.ofEpochMilli(e.lastModifiedMillis()))).append("</time></td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n</main>\n<footer>tenk</footer>\n<script>")
                .append(SCRIPT).append("</script>\n</body></html>\n");
        return sb.toString();
    }

    /** 1023 B, 1.5 KiB, 12 MiB, … (binary units, one decimal below 10). */
    public static String humanSize(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v)) + " " + units[u];
    }

    /** The icon class of an entry: its kind, from the directory flag or the Content-Type of its name. */
    static String icon(Entry e) {
        if (e.directory()) return "dir";
        String type = MimeTypes.forName(e.name());
        if (type.startsWith("image/")) return "img";
        if (type.startsWith("audio/")) return "audio";
        if (type.startsWith("video/")) return "video";
        if (type.startsWith("text/html")) return "html";
        if (type.startsWith("application/pdf")) return "pdf";
        if (type.contains("zip") || type.contains("tar") || type.contains("compress") || type.contains("7z")
                || type.contains("rar") || type.contains("gzip") || type.contains("zstd") || type.contains("brotli")) return "archive";
        if (type.startsWith("font/")) return "font";
        if (type.contains("javascript") || type.contains("json") || type.contains("css") || type.contains("xml")
                || type.contains("wasm")) return "code";
        if (type.startsWith("text/")) return "text";
        return "file";
    }

    /**
     * Icons as CSS classes with SVG data URIs (allowed by the page's CSP as {@code img-src data:}):
     * no emoji font needed, nothing fetched. A folder, and a page whose colour tells the kind.
     */
    private static String iconCss() {
        StringBuilder sb = new StringBuilder();
        sb.append(".i{display:inline-block;width:1.1em;height:1.1em;margin-right:.55em;vertical-align:-.18em;"
                + "background:no-repeat center/contain}\n");
        sb.append(".i-dir{background-image:url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E"
                + "%3Cpath fill='%23e3a21a' d='M2 5.5A1.5 1.5 0 0 1 3.5 4h5l2 2.5h10A1.5 1.5 0 0 1 22 8v10.5a1.5 1.5 0 0 1-1.5 1.5h-17A1.5 1.5 0 0 1 2 18.5z'/%3E%3C/svg%3E\")}\n");
        sb.append(".i-up{background-image:url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E"
                + "%3Cpath fill='none' stroke='%238d96a0' stroke-width='2.5' stroke-linecap='round' stroke-linejoin='round' d='M12 20V5M5 11l7-7 7 7'/%3E%3C/svg%3E\")}\n");
        String[][] kinds = {{"file", "8d96a0"}, {"text", "6e7781"}, {"code", "2f81f7"}, {"html", "e8590c"}, {"img", "2da44e"},
                {"audio", "8250df"}, {"video", "cf222e"}, {"pdf", "d1242f"}, {"archive", "9a6700"}, {"font", "1b7c83"}};
        for (String[] k : kinds) {
            sb.append(".i-").append(k[0]).append("{background-image:url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E")
                    .append("%3Cpath fill='%23").append(k[1]).append("' d='M6 2h8l6 6v12.5A1.5 1.5 0 0 1 18.5 22h-13A1.5 1.5 0 0 1 4 20.5v-17A1.5 1.5 0 0 1 5.5 2z'/%3E")
                    .append("%3Cpath fill='%23ffffff' fill-opacity='.55' d='M14 2v6h6z'/%3E%3C/svg%3E\")}\n");
        }
        return sb.toString();
    }

    /** Escapes text for HTML content and double-quoted attributes. */
    public static void html(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
    }

    private static final String ICON_CSS = iconCss();

    private static final String CSS = """
            :root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--hover:#f6f8fa;--link:#0969da}
            @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--hover:#161b22;--link:#4493f8}}
            *{box-sizing:border-box}
            body{margin:0 auto;max-width:60rem;padding:1.5rem 1rem;background:var(--bg);color:var(--fg);
            font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
            .crumbs{font-size:1.25rem;word-break:break-all}.crumbs a{color:var(--link);text-decoration:none}
            .crumbs span{color:var(--muted);margin:0 .3rem}.count{color:var(--muted);margin:.25rem 0 1rem}
            table{width:100%;border-collapse:collapse}
            th{text-align:left;border-bottom:2px solid var(--line)}
            th button{all:unset;box-sizing:border-box;cursor:pointer;display:block;width:100%;padding:.4rem .5rem;font-weight:600}
            th button:focus-visible{outline:2px solid var(--link)}
            th button[aria-sort=ascending]::after{content:" ▲";color:var(--muted)}
            th button[aria-sort=descending]::after{content:" ▼";color:var(--muted)}
            td{padding:.35rem .5rem;border-bottom:1px solid var(--line);white-space:nowrap}
            tr:hover td{background:var(--hover)}
            td.name{white-space:normal;word-break:break-all;width:100%}
            td.name a{color:var(--link);text-decoration:none}td.name a:hover{text-decoration:underline}
            .size,.date{text-align:right;color:var(--muted);font-variant-numeric:tabular-nums}
            th.size button,th.date button{text-align:right}
            footer{color:var(--muted);font-size:.8rem;margin-top:1.5rem}
            @media (max-width:40rem){td.date,th.date{display:none}}
            """;

    private static final String SCRIPT = """
            (function(){var t=document.getElementById('listing'),b=t.tBodies[0],hs=t.querySelectorAll('th button');
            function sort(key,dir){var rows=Array.prototype.slice.call(b.querySelectorAll('tr[data-name]'));
            rows.sort(function(x,y){var d=y.dataset.dir-x.dataset.dir;if(d)return d;var a,c;
            if(key==='name'){a=x.dataset.name;c=y.dataset.name;return dir*(a<c?-1:a>c?1:0);}
            a=Number(key==='size'?x.dataset.size:x.dataset.date);c=Number(key==='size'?y.dataset.size:y.dataset.date);
            return dir*(a-c)||(x.dataset.name<y.dataset.name?-1:1);});
            rows.forEach(function(r){b.appendChild(r);});
            hs.forEach(function(h){h.setAttribute('aria-sort',h.dataset.sort===key?(dir>0?'ascending':'descending'):'none');});}
            hs.forEach(function(h){h.addEventListener('click',function(){var cur=h.getAttribute('aria-sort');
            sort(h.dataset.sort,cur==='ascending'?-1:1);});});})();
            """;

    private static final String STYLE = CSS + ICON_CSS;

    /**
     * The policy the page is sent with: nothing but its own inline style and script, each allowed by
     * its SHA-256, and images from data URIs (the icons).
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; script-src '" + sha256(SCRIPT) + "'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

    private static String sha256(String inline) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(inline.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
