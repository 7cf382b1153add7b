package io.tenk.files;

/**
 * Entity-tag lists as in If-Match and If-None-Match (RFC 9110 §8.8.3): {@code "*"} or a
 * comma-separated list of {@code [W/]"opaque"}, with optional whitespace and empty elements.
 * Parsing stops at the first malformed element; what came before it still counts.
 */
final class EntityTags {
    private EntityTags() {}

    /** Strong comparison (§8.8.3.2): both tags strong and their opaque parts equal. */
    static boolean strongEquals(String a, String b) {
        return !isWeak(a) && !isWeak(b) && a.equals(b);
    }

    /** Weak comparison: the opaque parts equal, either tag may be weak. */
    static boolean weakEquals(String a, String b) {
        return opaque(a).equals(opaque(b));
    }

    static boolean isWeak(String tag) { return tag.startsWith("W/"); }

    private static String opaque(String tag) { return isWeak(tag) ? tag.substring(2) : tag; }

    /** Whether the field value is blank (callers treat a blank field as absent). */
    static boolean blank(String value) { return value == null || value.isBlank(); }

    /**
     * True when the list holds {@code *} or a tag equal to {@code etag} under the chosen comparison.
     * {@code etag} is the current representation's tag, quotes included.
     */
    static boolean listMatches(String list, String etag, boolean strong) {
        int i = 0, n = list.length();
        while (i < n) {
            char c = list.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') { i++; continue; }
            if (c == '*') return true;
            int start = i;
            if (c == 'W') {
                if (i + 1 >= n || list.charAt(i + 1) != '/') return false;
                i += 2;
            }
            if (i >= n || list.charAt(i) != '"') return false;
            int close = i + 1;
            while (close < n && isEtagc(list.charAt(close))) close++;
            if (close >= n || list.charAt(close) != '"') return false;
            String tag = list.substring(start, close + 1);
            if (strong ? strongEquals(tag, etag) : weakEquals(tag, etag)) return true;
            i = close + 1;
            // after a tag only OWS then ',' or the end may follow
            while (i < n && (list.charAt(i) == ' ' || list.charAt(i) == '\t')) i++;
            if (i < n && list.charAt(i) != ',') return false;
        }
        return false;
    }

    /** etagc = %x21 / %x23-7E / obs-text. */
    private static boolean isEtagc(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }
}
