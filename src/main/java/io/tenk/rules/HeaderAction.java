package io.tenk.rules;

import java.util.Locale;

/**
 * A response header a rule asks for.
 *
 * @param mode  {@link Mode#SET} replaces any header of that name the response would carry;
 *              {@link Mode#ADD} adds one more field line
 * @param name  a field name (an RFC 9110 token)
 * @param value a field value without control characters other than tab, trimmed
 */
public record HeaderAction(Mode mode, String name, String value) {

    public enum Mode { SET, ADD }

    public HeaderAction {
        if (mode == null || name == null || value == null) throw new IllegalArgumentException("header action needs mode, name and value");
        if (name.isEmpty() || !name.chars().allMatch(HeaderAction::tchar)) {
            throw new IllegalArgumentException("bad header name '" + printable(name) + "'");
        }
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F)) {
            throw new IllegalArgumentException("header " + name + ": value contains a control character");
        }
        value = value.strip();
    }

    /** Case-insensitive name comparison. */
    public boolean sameName(String other) { return name.equalsIgnoreCase(other); }

    private static boolean tchar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F) sb.append(String.format(Locale.ROOT, "\\x%02x", c));
            else sb.appendCodePoint(c);
        });
        return sb.toString();
    }

    @Override public String toString() { return (mode == Mode.SET ? "set " : "add ") + name + ": " + value; }
}
