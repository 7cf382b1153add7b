package io.tenk.http;

/**
 * The syntax of field names (RFC 9110 §5.6.2 tokens) and of the field values tenk writes, checked
 * in one place for the request parser, the response encoder, configured response fields and rules,
 * and the one way to show untrusted text in a message or log line.
 */
public final class FieldSyntax {
    private FieldSyntax() {}

    /** Longest text {@link #printable} shows before it cuts. */
    static final int PRINTABLE_MAX = 200;

    /** tchar, indexed by character; characters ≥ 0x80 are not tchars. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    /** Whether {@code c} (a char or a byte's value) is a tchar; a negative byte is not. */
    public static boolean isTchar(int c) { return c >= 0 && c < 128 && TCHAR[c]; }

    /** Whether {@code s} is a token: one or more tchars, as every field name must be. */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) return false;
        for (int i = 0, n = s.length(); i < n; i++) if (!isTchar(s.charAt(i))) return false;
        return true;
    }

    /**
     * Whether {@code c} may stand in a field value tenk writes: tab, space and visible characters,
     * never another control character (CR and LF above all). Characters past Latin-1 pass here;
     * the response encoder writes them as '?'.
     */
    public static boolean isValueChar(int c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

    /** Whether every character of {@code s} is a {@link #isValueChar value character}. */
    public static boolean isValue(String s) {
        for (int i = 0, n = s.length(); i < n; i++) if (!isValueChar(s.charAt(i))) return false;
        return true;
    }

    /**
     * {@code s} made safe for one line of a message or log: control characters (C0, DEL and C1)
     * become {@code \xNN}, and text past {@value #PRINTABLE_MAX} characters is cut with an
     * ellipsis; null becomes the empty string.
     */
    public static String printable(String s) {
        if (s == null) return "";
        int n = Math.min(s.length(), PRINTABLE_MAX);
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            else b.append(c);
        }
        if (s.length() > n) b.append('…');
        return b.toString();
    }
}
