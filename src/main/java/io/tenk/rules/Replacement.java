package io.tenk.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A {@code to} template, parsed once into literal text and group references.
 *
 * <p>Syntax (Python's and Java's together):
 * <ul>
 *   <li>{@code \1} … {@code \99}: group by number (at most two digits: {@code \10} is group 10;
 *       write {@code \g<1>0} for group 1 then "0"). Three digits ({@code \100}) are refused as
 *       ambiguous (Python reads them as an octal escape).</li>
 *   <li>{@code \g<1>}, {@code \g<name>}: group by number or by the user's name.</li>
 *   <li>{@code $1}, {@code ${name}} ({@code ${1}} too): Java's form. After {@code $} digits are
 *       taken while the number stays a valid group, as Java does.</li>
 *   <li>{@code \\} is a backslash; {@code $$} and {@code \$} are a dollar. A {@code $} not followed
 *       by a digit, an opening brace or another dollar is a literal dollar (as in Python).</li>
 *   <li>Any other backslash escape is an error.</li>
 * </ul>
 * A group that took no part in the match expands to the empty string (as in Python 3.5+).
 */
public final class Replacement {

    /** One piece of a template. */
    public sealed interface Part permits Literal, Group {}

    /** Text copied as is. */
    public record Literal(String text) implements Part {}

    /** The text of group {@code number}; {@code spelled} is how the template wrote it. */
    public record Group(int number, String spelled) implements Part {}

    private final String source;
    private final List<Part> parts;

    private Replacement(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** Parses {@code template} for use with matches of {@code pattern}. */
    public static Replacement parse(String template, PyRegex pattern) {
        return parse(template, pattern.groupCount(), pattern.groupNames());
    }

    /**
     * Parses {@code template}, checking every group reference against a pattern with
     * {@code groupCount} groups and the given names.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad spot
     */
    public static Replacement parse(String template, int groupCount, Map<String, Integer> names) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            int at = i;
            if (c == '\\') {
                if (i + 1 >= n) throw bad("bad escape (end of template)", at);
                char d = template.charAt(i + 1);
                if (d == '\\' || d == '$') {
                    text.append(d);
                    i += 2;
                } else if (d >= '0' && d <= '9') {
                    int j = i + 1;
                    while (j < n && j < i + 4 && isDigit(template.charAt(j))) j++;
                    String digits = template.substring(i + 1, j);
                    if (digits.length() == 3) throw bad("ambiguous escape \\" + digits + " (write \\g<" + digits.substring(0, 2) + ">" + digits.charAt(2) + " or \\g<" + digits.charAt(0) + ">" + digits.substring(1) + ")", at);
                    if (digits.equals("0") || digits.startsWith("0")) throw bad("bad escape \\" + digits + " (write \\g<0> for the whole match)", at);
                    group(parts, text, Integer.parseInt(digits), "\\" + digits, groupCount, at);
                    i = j;
                } else if (d == 'g') {
                    if (i + 2 >= n || template.charAt(i + 2) != '<') throw bad("missing < after \\g", at);
                    int close = template.indexOf('>', i + 3);
                    if (close < 0) throw bad("missing >, unterminated group name", at);
                    String ref = template.substring(i + 3, close);
                    group(parts, text, resolve(ref, names, at), template.substring(i, close + 1), groupCount, at);
                    i = close + 1;
                } else {
                    throw bad("bad escape \\" + d + " (write \\\\ for a backslash)", at);
                }
            } else if (c == '$' && i + 1 < n && template.charAt(i + 1) == '$') {
                text.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < n && isDigit(template.charAt(i + 1))) {
                int num = template.charAt(i + 1) - '0';
                int j = i + 2;
                while (j < n && isDigit(template.charAt(j)) && num * 10 + (template.charAt(j) - '0') <= groupCount) {
                    num = num * 10 + (template.charAt(j) - '0');
                    j++;
                }
                group(parts, text, num, template.substring(i, j), groupCount, at);
                i = j;
            } else if (c == '$' && i + 1 < n && template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) throw bad("missing }, unterminated group name", at);
                String ref = template.substring(i + 2, close);
                group(parts, text, resolve(ref, names, at), template.substring(i, close + 1), groupCount, at);
                i = close + 1;
            } else {
                text.append(c);
                i++;
            }
        }
        if (!text.isEmpty()) parts.add(new Literal(text.toString()));
        return new Replacement(template, parts);
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static int resolve(String ref, Map<String, Integer> names, int at) {
        if (!ref.isEmpty() && ref.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            if (ref.length() > 6) throw bad("invalid group reference " + ref, at);
            return Integer.parseInt(ref);
        }
        if (!Translator.isIdentifier(ref)) throw bad("bad character in group name '" + ref + "'", at);
        Integer number = names.get(ref);
        if (number == null) throw bad("unknown group name '" + ref + "'", at);
        return number;
    }

    private static void group(List<Part> parts, StringBuilder text, int number, String spelled, int groupCount, int at) {
        if (number > groupCount) {
            throw bad("invalid group reference " + number + " (the pattern has " + groupCount + (groupCount == 1 ? " group)" : " groups)"), at);
        }
        if (!text.isEmpty()) {
            parts.add(new Literal(text.toString()));
            text.setLength(0);
        }
        parts.add(new Group(number, spelled));
    }

    private static IllegalArgumentException bad(String what, int at) {
        return new IllegalArgumentException(what + " at index " + at);
    }

    /** The template as written. */
    public String source() { return source; }

    public List<Part> parts() { return parts; }

    /** Expands against {@code m}, inserting group text as captured. */
    public String expand(Match m) { return expand(m, UnaryOperator.identity()); }

    /** Expands against {@code m}, passing each group's text through {@code encodeGroup}. */
    public String expand(Match m, UnaryOperator<String> encodeGroup) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Literal l -> sb.append(l.text());
                case Group g -> {
                    String v = m.group(g.number());
                    if (v != null) sb.append(encodeGroup.apply(v));
                }
            }
        }
        return sb.toString();
    }

    @Override public String toString() { return source; }
}
