package io.tenk.http;

/**
 * What the path of a request <em>is</em>, decided once, before any rule or file sees it:
 * percent-decoded as strict UTF-8, dot segments removed (RFC 3986 §5.2.4, with {@code %2e}
 * counting as '.'), empty segments collapsed ({@code //} is {@code /}), a trailing '/' kept (it
 * names a directory). The result starts with exactly one '/' and has no empty, "." or ".."
 * segment.
 *
 * <p>A path is invalid (the request gets 400) when it does not start with '/', holds a byte that
 * is not visible ASCII before decoding, an escape is
 * malformed or not UTF-8, a segment decodes to a '/' ({@code %2F}: a separator that was not
 * one), to a '\' or to a control character (NUL, C0, DEL, C1), or ".." climbs above the root.
 * Pure functions.
 */
public final class RequestPath {
    private RequestPath() {}

    /** The path of a request-target's raw (percent-encoded) path, or null when it is invalid. */
    public static String of(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') return null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F) return null; // a URI holds visible ASCII only
        }
        if (raw.indexOf('%') < 0) return normalize(raw);
        return segments(raw, true, false);
    }

    /**
     * Normalises a path that is decoded already (the result of a rewrite) the same way, or null
     * when it is invalid. A path already in normal form is returned as it is.
     */
    public static String normalize(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') return null;
        return isNormal(path) ? path : segments(path, false, false);
    }

    /** Whether {@code path} is a path as {@link #of} makes them (cheap: one scan, no allocation). */
    public static boolean isNormal(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') return false;
        int segStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/';
            if (c == '/') {
                int len = i - segStart;
                boolean last = i == path.length();
                if (len == 0 && !last) return false;
                if (len == 1 && path.charAt(segStart) == '.' || len == 2 && path.startsWith("..", segStart)) return false;
                segStart = i + 1;
            } else if (c == '\\' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Removes dot segments from a URL path that is percent-encoded already (a redirect's
     * Location), clamping at the root as RFC 3986 §5.2.4 does, and collapses empty segments: the
     * result starts with exactly one '/'.
     */
    public static String clampUrlPath(String encoded) { return segments(encoded, false, true); }

    /**
     * Splits on '/' and applies each segment: decoded first when asked, and checked unless the
     * path is a URL path to clamp. Null when invalid.
     */
    private static String segments(String path, boolean decode, boolean clamp) {
        StringBuilder out = new StringBuilder(path.length() + 1);
        int start = path.startsWith("/") ? 1 : 0;
        boolean last = false;
        while (!last) {
            int end = path.indexOf('/', start);
            last = end < 0;
            String seg = path.substring(start, last ? path.length() : end);
            start = end + 1;
            if (decode) {
                seg = PercentCodec.decode(seg);
                if (seg == null || seg.indexOf('/') >= 0) return null;
            }
            for (int i = 0; i < seg.length() && !clamp; i++) {
                char c = seg.charAt(i);
                if (c == '\\' || Character.isISOControl(c)) return null;
            }
            if (!push(out, seg, last) && !clamp) return null; // clamped: ".." at the root stays at the root
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    /**
     * Applies one segment to the output ({@code /a/b} form, no trailing '/' unless a directory is
     * named): "" and "." are dropped, ".." removes the last segment. A last segment that is "",
     * "." or ".." leaves a trailing '/'. False when ".." finds nothing to remove.
     */
    private static boolean push(StringBuilder out, String seg, boolean last) {
        boolean ok = true;
        if (seg.equals("..")) {
            int cut = out.lastIndexOf("/");
            if (cut < 0) ok = false;
            else out.setLength(cut);
        } else if (!seg.isEmpty() && !seg.equals(".")) {
            out.append('/').append(seg);
            return true;
        }
        if (last) out.append('/');
        return ok;
    }
}
