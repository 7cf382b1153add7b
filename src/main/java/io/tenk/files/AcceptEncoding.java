package io.tenk.files;

import java.util.Arrays;

/**
 * An Accept-Encoding field (RFC 9110 §12.5.3) as the weights it gives each coding: q-values
 * parsed (0 to 1, three decimals), {@code *} standing for every coding not named, and
 * {@code identity} acceptable unless refused by {@code identity;q=0} (or {@code *;q=0} without
 * naming identity).
 *
 * <p>A missing field accepts identity only: RFC 9110 allows any coding then, but clients that
 * send no field (curl, scripts) expect the file as it is. A malformed element is skipped; the
 * rest still counts. When no representation is acceptable at all, tenk sends identity anyway
 * (the RFC permits ignoring the field rather than answering 406).
 */
public final class AcceptEncoding {
    private static final int UNSET = -1;

    private final int[] weights = new int[CODINGS.length]; // per coding, 0..1000 or UNSET
    private int star = UNSET;
    private int identity = UNSET;

    private AcceptEncoding() {
        Arrays.fill(weights, UNSET);
    }

    /** Parses the field values (every Accept-Encoding line, in order); null or empty → identity only. */
    public static AcceptEncoding parse(Iterable<String> values) {
        AcceptEncoding a = new AcceptEncoding();
        if (values != null) for (String v : values) a.add(v);
        return a;
    }

    public static AcceptEncoding parse(String value) {
        if (value == null) return parse((Iterable<String>) null);
        int slot = value.hashCode() & (RECENT.length - 1);
        Parsed p = RECENT[slot];
        if (p != null && p.value.equals(value)) return p.parsed;
        AcceptEncoding a = new AcceptEncoding();
        a.add(value);
        RECENT[slot] = new Parsed(value, a);
        return a;
    }

    /**
     * Field values parsed lately, by a hash of the value: clients send the same one or two values
     * with every request, and a parsed field never changes. Written without a lock by any thread:
     * a reader sees an entry whole or not at all (a record's fields are final), and a lost write
     * only means parsing that value again.
     */
    private static final Parsed[] RECENT = new Parsed[16];

    private record Parsed(String value, AcceptEncoding parsed) {}

    /** Adds one field value: a comma-separated list of codings with optional weights. Allocates nothing. */
    private void add(String list) {
        int n = list.length();
        for (int from = 0; from <= n; ) {
            int comma = list.indexOf(',', from);
            int to = comma < 0 ? n : comma;
            element(list, from, to);
            from = to + 1;
        }
    }

    private void element(String s, int from, int to) {
        from = skipSpace(s, from, to);
        to = trimSpace(s, from, to);
        if (from >= to) return;
        int semi = indexOf(s, ';', from, to);
        int codingEnd = semi < 0 ? to : trimSpace(s, from, semi);
        int q = semi < 0 ? 1000 : qvalue(s, semi + 1, to);
        if (q < 0) return;
        if (is(s, from, codingEnd, "*")) star = q;
        else if (is(s, from, codingEnd, "identity")) identity = q;
        else if (is(s, from, codingEnd, "x-gzip")) set(ContentCoding.GZIP, q);
        else for (ContentCoding c : CODINGS) if (is(s, from, codingEnd, c.token())) set(c, q);
    }

    private static final ContentCoding[] CODINGS = ContentCoding.values();

    private void set(ContentCoding c, int q) { weights[c.ordinal()] = Math.max(weights[c.ordinal()], q); }

    /** Parses {@code q=0.5} (after the ';', other parameters ignored); -1 when malformed. */
    static int qvalue(String params) {
        return qvalue(params, 0, params.length());
    }

    private static int qvalue(String s, int from, int to) {
        for (int p = from; p <= to; ) {
            int semi = indexOf(s, ';', p, to);
            int end = semi < 0 ? to : semi;
            int a = skipSpace(s, p, end);
            int b = trimSpace(s, a, end);
            p = end + 1;
            if (b - a < 2 || (s.charAt(a) != 'q' && s.charAt(a) != 'Q')) continue;
            int eq = indexOf(s, '=', a, b);
            if (eq < 0 || skipSpace(s, a + 1, eq) != eq) continue;
            return weight(s, skipSpace(s, eq + 1, b), b);
        }
        return 1000;
    }

    /** {@code 0}, {@code 0.} and up to three decimals, or {@code 1} with zeros: the weight times 1000; -1 otherwise. */
    private static int weight(String s, int from, int to) {
        int len = to - from;
        if (len < 1 || len > 5) return -1;
        char first = s.charAt(from);
        if (first != '0' && first != '1') return -1;
        if (len > 1 && s.charAt(from + 1) != '.') return -1;
        int thousandths = 0;
        for (int i = 0; i < 3; i++) {
            int at = from + 2 + i;
            int d = at < to ? s.charAt(at) - '0' : 0;
            if (d < 0 || d > 9 || (first == '1' && d != 0)) return -1;
            thousandths = thousandths * 10 + d;
        }
        return first == '1' ? 1000 : thousandths;
    }

    private static boolean is(String s, int from, int to, String token) {
        return to - from == token.length() && s.regionMatches(true, from, token, 0, token.length());
    }

    private static int indexOf(String s, char c, int from, int to) {
        int i = s.indexOf(c, from);
        return i < 0 || i >= to ? -1 : i;
    }

    private static int skipSpace(String s, int from, int to) {
        while (from < to && Character.isWhitespace(s.charAt(from))) from++;
        return from;
    }

    private static int trimSpace(String s, int from, int to) {
        while (to > from && Character.isWhitespace(s.charAt(to - 1))) to--;
        return to;
    }

    /** The weight given to a coding, 0 (refused) to 1000. */
    public int weight(ContentCoding c) {
        int w = weights[c.ordinal()];
        if (w != UNSET) return w;
        return star != UNSET ? star : 0;
    }

    /**
     * The weight given to identity (the file as it is), 0 (refused) to 1000. Not named (and no
     * {@code *}): 1, acceptable but below every coding the client names.
     */
    public int identityWeight() {
        if (identity != UNSET) return identity;
        if (star != UNSET) return star;
        return 1; // acceptable, but any coding the client names is preferred

    }

    /** Whether the coding is acceptable at all. */
    public boolean accepts(ContentCoding c) { return weight(c) > 0; }

    /**
     * The best of the available codings: highest weight, ties broken by {@link ContentCoding}
     * order; null when identity is at least as wanted as each of them (or none is acceptable).
     */
    public ContentCoding choose(Iterable<ContentCoding> available) {
        ContentCoding best = null;
        int bestWeight = 0;
        for (ContentCoding c : available) {
            int w = weight(c);
            if (w > bestWeight || (w == bestWeight && w > 0 && best != null && c.ordinal() < best.ordinal())) {
                best = c;
                bestWeight = w;
            }
        }
        return best != null && bestWeight >= identityWeight() ? best : null;
    }

    /** Whether sending {@code c} is better than, or as good as, sending identity: {@code choose} of it alone. */
    public boolean prefers(ContentCoding c) {
        int w = weight(c);
        return w > 0 && w >= identityWeight();
    }
}
