package io.tenk.rules;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Translates a pattern written in Python {@code re} syntax (Java's accepted too where the two do
 * not conflict) into one dialect that both RE2/J and java.util.regex read the same way.
 *
 * <p>What it does, so that both engines agree with Python:
 * <ul>
 *   <li>Named groups {@code (?P<n>…)} and {@code (?<n>…)} become plain numbered groups; the names
 *       are kept aside (so Python names with underscores work, and no engine sees a name).
 *       Back-references {@code (?P=n)}, {@code \k<n>} and {@code \1} become {@code (?:\N)}.</li>
 *   <li>{@code $} outside MULTILINE becomes {@code \z}: end of input only. <b>Deviation:</b>
 *       Python's {@code $} also matches before a trailing newline; for URL paths that only lets
 *       {@code /admin%0A} pass for {@code /admin}, so tenk does not do it. {@code \Z} (Python's
 *       end of input) becomes {@code \z}; {@code \A} stays.</li>
 *   <li>{@code (?x)} is applied here (whitespace and {@code #} comments dropped outside classes,
 *       as Python does; Java would also drop them inside classes) and never reaches an engine.
 *       {@code (?a)} and {@code (?u)} are recorded, not emitted; {@code (?L)} is refused.</li>
 *   <li>Character classes follow Python: a leading {@code ]} is literal, {@code [} and {@code &&}
 *       inside a class are literal (Java would nest or intersect).</li>
 *   <li>{@code \d \w \b} are ASCII, as with Python's {@code re.ASCII}; {@code \s} is
 *       {@code [ \t\n\x0B\f\r]}. {@code \v} is the vertical tab (Java reads it as a class).</li>
 *   <li>Python escapes {@code \xhh \\uhhhh \Uhhhhhhhh \N{name}}, octal {@code \0} / {@code \ooo},
 *       {@code \a} become {@code \x{…}}; {@code {,n}} becomes {@code {0,n}}; a brace that is not
 *       a quantifier is literal.</li>
 * </ul>
 */
final class Translator {

    /** The result: a pattern for the engines plus what was learned on the way. */
    record Translation(String pattern, int groupCount, Map<String, Integer> names,
                       boolean ascii, boolean ignoreCase, int[] sourceIndex) {
        /** Maps an index into {@link #pattern} back to the pattern as written. */
        int toSource(int translatedIndex, int sourceLength) {
            if (translatedIndex < 0) return 0;
            if (translatedIndex >= sourceIndex.length) return sourceLength;
            return sourceIndex[translatedIndex];
        }
    }

    private record Frame(int openIndex, int group, boolean verbose, boolean multiline) {}

    /** Groups nested deeper than this are refused (RE2's own limit): the engines recurse on nesting. */
    static final int MAX_NESTING = 1000;

    private static final String SPACE_CLASS_ITEMS = "\\t\\n\\x{b}\\f\\r\\x{20}";

    private final String src;
    private int pos;
    private final StringBuilder out = new StringBuilder();
    private int[] map = new int[32];
    private int groups;
    private final Map<String, Integer> names = new LinkedHashMap<>();
    private final Set<Integer> open = new HashSet<>();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private boolean verbose;
    private boolean multiline;
    private boolean ascii;
    private boolean ignoreCase;

    private Translator(String src) { this.src = src; }

    static Translation translate(String src) {
        Translator t = new Translator(src);
        t.run();
        return new Translation(t.out.toString(), t.groups, Map.copyOf(t.names), t.ascii, t.ignoreCase,
                Arrays.copyOf(t.map, t.out.length()));
    }

    private RegexSyntaxException error(String what, int at) { return new RegexSyntaxException(what, at); }

    private void emit(String s, int at) {
        if (map.length < out.length() + s.length()) map = Arrays.copyOf(map, Math.max(map.length * 2, out.length() + s.length()));
        for (int i = 0; i < s.length(); i++) map[out.length() + i] = at;
        out.append(s);
    }

    private int peek(int offset) {
        int i = pos + offset;
        return i < src.length() ? src.charAt(i) : -1;
    }

    private void run() {
        while (pos < src.length()) {
            int at = pos;
            int c = src.codePointAt(pos);
            if (verbose && isPySpace(c)) { pos++; continue; }
            if (verbose && c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
                continue;
            }
            switch (c) {
                case '\\' -> escape();
                case '[' -> charClass();
                case '(' -> openParen();
                case ')' -> {
                    if (stack.isEmpty()) throw error("unbalanced parenthesis", at);
                    Frame f = stack.pop();
                    verbose = f.verbose();
                    multiline = f.multiline();
                    open.remove(f.group());
                    emit(")", at);
                    pos++;
                }
                case '$' -> { emit(multiline ? "$" : "\\z", at); pos++; }
                case '{' -> brace();
                case '}', ']' -> { emit("\\" + (char) c, at); pos++; }
                case '.', '^', '|', '*', '+', '?' -> { emit(String.valueOf((char) c), at); pos++; }
                default -> { emit(literal(c), at); pos += Character.charCount(c); }
            }
        }
        if (!stack.isEmpty()) throw error("missing ), unterminated subpattern", stack.peek().openIndex());
    }

    private static boolean isPySpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    /** A literal code point outside a class, spelled so that no engine reads it as syntax. */
    private static String literal(int c) {
        if (c < 0x80) {
            if (Character.isLetterOrDigit(c)) return String.valueOf((char) c);
            if (c > 0x20 && c < 0x7F) return "\\" + (char) c;
            return hex(c);
        }
        if (Character.isLetterOrDigit(c)) return Character.toString(c);
        return hex(c);
    }

    private static String hex(int c) { return "\\x{" + Integer.toHexString(c) + "}"; }

    // ---- groups ---------------------------------------------------------------------------

    private void openParen() {
        int at = pos;
        if (peek(1) != '?') {
            groups++;
            push(at, groups);
            emit("(", at);
            pos++;
            return;
        }
        pos += 2;
        int c = peek(0);
        switch (c) {
            case 'P' -> {
                int d = peek(1);
                if (d == '<') {
                    pos += 2;
                    namedGroup(at, readName('>', at));
                } else if (d == '=') {
                    pos += 2;
                    String name = readName(')', at);
                    Integer n = names.get(name);
                    if (n == null) throw error("unknown group name '" + name + "'", at);
                    backref(n, at);
                } else {
                    throw error("unknown extension ?P" + (d < 0 ? "" : Character.toString(d)), at);
                }
            }
            case '<' -> {
                int d = peek(1);
                if (d == '=' || d == '!') {
                    push(at, 0);
                    emit("(?<" + (char) d, at);
                    pos += 2;
                } else {
                    pos += 1;
                    namedGroup(at, readName('>', at));
                }
            }
            case ':', '=', '!', '>' -> {
                push(at, 0);
                emit("(?" + (char) c, at);
                pos++;
            }
            case '#' -> {
                int close = src.indexOf(')', pos);
                if (close < 0) throw error("missing ), unterminated comment", at);
                pos = close + 1;
            }
            case '(' -> throw error("conditional groups (?(…)…) are not supported", at);
            default -> flags(at);
        }
    }

    private void push(int at, int group) {
        if (stack.size() >= MAX_NESTING) throw error("groups nested deeper than " + MAX_NESTING, at);
        stack.push(new Frame(at, group, verbose, multiline));
        if (group > 0) open.add(group);
    }

    private void namedGroup(int at, String name) {
        if (names.containsKey(name)) throw error("redefinition of group name '" + name + "'", at);
        groups++;
        names.put(name, groups);
        push(at, groups);
        emit("(", at);
    }

    /** Reads an identifier up to {@code end} and consumes {@code end}. */
    private String readName(char end, int at) {
        int close = src.indexOf(end, pos);
        if (close < 0) throw error("missing " + end + ", unterminated name", at);
        String name = src.substring(pos, close);
        if (!isIdentifier(name)) {
            throw error(name.isEmpty() ? "missing group name" : "bad character in group name '" + name + "'", at);
        }
        pos = close + 1;
        return name;
    }

    static boolean isIdentifier(String s) {
        if (s.isEmpty()) return false;
        int first = s.codePointAt(0);
        if (!(Character.isLetter(first) || first == '_')) return false;
        return s.codePoints().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_');
    }

    private void backref(int n, int at) {
        if (n > groups) throw error("invalid group reference " + n, at);
        if (open.contains(n)) throw error("cannot refer to an open group", at);
        emit("(?:\\" + n + ")", at);
    }

    /** {@code (?flags)}, {@code (?flags:…)}, {@code (?on-off:…)}; pos is after "(?". */
    private void flags(int at) {
        StringBuilder on = new StringBuilder();
        StringBuilder off = new StringBuilder();
        boolean negative = false;
        boolean newVerbose = verbose;
        boolean newMultiline = multiline;
        while (true) {
            int c = peek(0);
            if (c < 0) throw error("missing ), unterminated flags", at);
            pos++;
            if (c == ')' || c == ':') {
                if (negative && off.isEmpty()) throw error("missing flag after '-'", at);
                boolean scoped = c == ':';
                if (scoped) push(at, 0);
                verbose = newVerbose;
                multiline = newMultiline;
                String engine = on + (off.isEmpty() ? "" : "-" + off);
                if (scoped) emit("(?" + engine + ":", at);
                else if (!engine.isEmpty()) emit("(?" + engine + ")", at);
                return;
            }
            if (c == '-') {
                if (negative) throw error("bad inline flags: '-' twice", at);
                negative = true;
                continue;
            }
            switch (c) {
                case 'i', 'm', 's' -> {
                    (negative ? off : on).append((char) c);
                    if (c == 'i' && !negative) ignoreCase = true;
                    if (c == 'm') newMultiline = !negative;
                }
                case 'x' -> newVerbose = !negative;
                case 'a' -> {
                    if (negative) throw error("bad inline flags: cannot turn off 'a'", at);
                    ascii = true;
                }
                case 'u' -> {
                    if (negative) throw error("bad inline flags: cannot turn off 'u'", at);
                }
                case 'L' -> throw error("bad inline flags: 'L' (locale) is not supported for text", at);
                default -> throw error("unknown flag or extension '?" + Character.toString(c) + "'", at);
            }
        }
    }

    // ---- escapes --------------------------------------------------------------------------

    /** An escape outside a class; pos is at the backslash. */
    private void escape() {
        int at = pos;
        if (pos + 1 >= src.length()) throw error("bad escape (end of pattern)", at);
        int c = src.codePointAt(pos + 1);
        pos += 2;
        if (c >= '0' && c <= '9') {
            Integer octal = octal(c, at, false);
            if (octal != null) { emit(literal(octal), at); return; }
            int n = c - '0';
            if (peek(0) >= '0' && peek(0) <= '9') { n = n * 10 + (peek(0) - '0'); pos++; }
            backref(n, at);
            return;
        }
        switch (c) {
            case 'A', 'b', 'B', 'd', 'D', 'w', 'W', 'n', 'r', 't', 'f' -> emit("\\" + (char) c, at);
            case 'Z', 'z' -> emit("\\z", at);
            case 's' -> emit("[" + SPACE_CLASS_ITEMS + "]", at);
            case 'S' -> emit("[^" + SPACE_CLASS_ITEMS + "]", at);
            case 'a' -> emit(hex(7), at);
            case 'v' -> emit(hex(0x0B), at);
            case 'x', 'u', 'U', 'N' -> emit(literal(codeEscape(c, at)), at);
            case 'p', 'P' -> emit(property(c, at), at);
            case 'k' -> {
                if (peek(0) != '<') throw error("bad escape \\k (expected \\k<name>)", at);
                pos++;
                String name = readName('>', at);
                Integer n = names.get(name);
                if (n == null) throw error("unknown group name '" + name + "'", at);
                backref(n, at);
            }
            case 'Q' -> {
                int end = src.indexOf("\\E", pos);
                int stop = end < 0 ? src.length() : end;
                while (pos < stop) {
                    int q = src.codePointAt(pos);
                    emit(literal(q), pos);
                    pos += Character.charCount(q);
                }
                if (end >= 0) pos += 2;
            }
            // Java-only constructs, passed through (they make the pattern JDK-only where RE2/J lacks them)
            case 'G', 'h', 'H', 'R', 'X', 'e' -> emit("\\" + (char) c, at);
            case 'c' -> {
                if (pos >= src.length()) throw error("bad escape \\c", at);
                emit("\\c" + src.charAt(pos), at);
                pos++;
            }
            default -> {
                if (c < 0x80 && Character.isLetter(c)) throw error("bad escape \\" + (char) c, at);
                emit(literal(c), at);
                pos += Character.charCount(c) - 1;
            }
        }
    }

    /**
     * Python's octal escapes: {@code \0}, {@code \0o}, {@code \0oo}, and three octal digits
     * (outside a class); inside a class any digit run starting with an octal digit. Null if the
     * digits are a back-reference instead. pos is after the first digit.
     */
    private Integer octal(int first, int at, boolean inClass) {
        boolean octalStart = first >= '0' && first <= '7';
        boolean three = octalStart && isOctal(peek(0)) && isOctal(peek(1));
        if (first == '0' || three || inClass) {
            if (!octalStart) throw error("bad escape \\" + (char) first, at);
            int value = first - '0';
            for (int i = 0; i < 2 && isOctal(peek(0)); i++) {
                value = value * 8 + (peek(0) - '0');
                pos++;
            }
            if (value > 0377) throw error("octal escape value \\" + Integer.toOctalString(value) + " outside of range 0-0o377", at);
            return value;
        }
        return null;
    }

    private static boolean isOctal(int c) { return c >= '0' && c <= '7'; }

    /** {@code \xhh}, {@code \\uhhhh}, {@code \Uhhhhhhhh}, {@code \N{name}}; pos after the letter. */
    private int codeEscape(int kind, int at) {
        if (kind == 'N') {
            if (peek(0) != '{') throw error("missing {", at);
            int close = src.indexOf('}', pos);
            if (close < 0) throw error("missing }, unterminated name", at);
            String name = src.substring(pos + 1, close);
            pos = close + 1;
            try {
                return Character.codePointOf(name);
            } catch (IllegalArgumentException e) {
                throw error("undefined character name '" + name + "'", at);
            }
        }
        if (kind == 'x' && peek(0) == '{') { // Java's \x{h…h}
            int close = src.indexOf('}', pos);
            if (close < 0) throw error("missing }", at);
            String digits = src.substring(pos + 1, close);
            pos = close + 1;
            return parseHex(digits, "\\x{" + digits + "}", at);
        }
        int len = kind == 'x' ? 2 : kind == 'u' ? 4 : 8;
        if (pos + len > src.length()) throw error("incomplete escape \\" + (char) kind + src.substring(pos), at);
        String digits = src.substring(pos, pos + len);
        pos += len;
        return parseHex(digits, "\\" + (char) kind + digits, at);
    }

    private int parseHex(String digits, String spelled, int at) {
        if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw error("incomplete escape " + spelled, at);
        }
        long v = Long.parseLong(digits, 16);
        if (v > Character.MAX_CODE_POINT) throw error("bad escape " + spelled, at);
        return (int) v;
    }

    /** {@code \pL}, {@code \p{…}}: copied for the engines; pos after the letter. */
    private String property(int kind, int at) {
        if (peek(0) == '{') {
            int close = src.indexOf('}', pos);
            if (close < 0) throw error("missing }, unterminated property", at);
            String body = src.substring(pos, close + 1);
            pos = close + 1;
            return "\\" + (char) kind + body;
        }
        if (peek(0) < 0) throw error("bad escape \\" + (char) kind, at);
        return "\\" + (char) kind + src.charAt(pos++);
    }

    // ---- classes and braces ---------------------------------------------------------------

    /** A character class with Python's rules; pos at '['. */
    private void charClass() {
        int start = pos;
        emit("[", start);
        pos++;
        if (peek(0) == '^') { emit("^", pos); pos++; }
        boolean first = true;
        while (true) {
            if (pos >= src.length()) throw error("unterminated character set", start);
            int at = pos;
            int c = src.codePointAt(pos);
            if (c == ']' && !first) { emit("]", at); pos++; return; }
            first = false;
            if (c == '\\') { classEscape(); continue; }
            pos += Character.charCount(c);
            if (c == '-') emit("-", at);
            else emit(classLiteral(c), at);
        }
    }

    private static String classLiteral(int c) {
        if (c < 0x80) {
            if (Character.isLetterOrDigit(c)) return String.valueOf((char) c);
            if (c > 0x20 && c < 0x7F) return "\\" + (char) c; // includes [ ] & ^ ~ |
            return hex(c);
        }
        return Character.isLetterOrDigit(c) ? Character.toString(c) : hex(c);
    }

    /** An escape inside a class; pos at the backslash. */
    private void classEscape() {
        int at = pos;
        if (pos + 1 >= src.length()) throw error("unterminated character set", at);
        int c = src.codePointAt(pos + 1);
        pos += 2;
        if (c >= '0' && c <= '9') {
            emit(classLiteral(octal(c, at, true)), at);
            return;
        }
        switch (c) {
            case 'd', 'D', 'w', 'W', 'S', 'n', 'r', 't', 'f', 'h', 'H', 'e' -> emit("\\" + (char) c, at);
            case 's' -> emit(SPACE_CLASS_ITEMS, at);
            case 'b' -> emit(hex(8), at);
            case 'a' -> emit(hex(7), at);
            case 'v' -> emit(hex(0x0B), at);
            case 'x', 'u', 'U', 'N' -> emit(classLiteral(codeEscape(c, at)), at);
            case 'p', 'P' -> emit(property(c, at), at);
            default -> {
                if (c < 0x80 && Character.isLetter(c)) throw error("bad escape \\" + (char) c, at);
                emit(classLiteral(c), at);
                pos += Character.charCount(c) - 1;
            }
        }
    }

    /** '{' is a quantifier if it reads {m}, {m,}, {,n}, {m,n}; otherwise a literal. */
    private void brace() {
        int at = pos;
        int i = pos + 1;
        int loStart = i;
        while (i < src.length() && Character.isDigit(src.charAt(i)) && src.charAt(i) < 0x80) i++;
        String lo = src.substring(loStart, i);
        String hi;
        boolean comma = i < src.length() && src.charAt(i) == ',';
        if (comma) {
            int hiStart = ++i;
            while (i < src.length() && src.charAt(i) >= '0' && src.charAt(i) <= '9') i++;
            hi = src.substring(hiStart, i);
        } else {
            hi = lo;
        }
        boolean quantifier = i < src.length() && src.charAt(i) == '}' && (comma || !lo.isEmpty());
        if (!quantifier) {
            emit("\\{", at);
            pos++;
            return;
        }
        pos = i + 1;
        String min = lo.isEmpty() ? "0" : lo;
        if (!hi.isEmpty() && new java.math.BigInteger(min).compareTo(new java.math.BigInteger(hi)) > 0) {
            throw error("min repeat greater than max repeat", at);
        }
        emit("{" + min + (comma ? "," + hi : "") + "}", at);
    }
}
