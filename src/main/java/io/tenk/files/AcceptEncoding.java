package io.tenk.files;

import java.util.Arrays;
import java.util.Locale;

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

    private final int[] weights = new int[ContentCoding.values().length]; // per coding, 0..1000 or UNSET
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
        AcceptEncoding a = new AcceptEncoding();
        if (value != null) a.add(value);
        return a;
    }

    private void add(String list) {
        for (String element : list.split(",", -1)) {
            String e = element.strip();
            if (e.isEmpty()) continue;
            String coding = e;
            int q = 1000;
            int semi = e.indexOf(';');
            if (semi >= 0) {
                coding = e.substring(0, semi).strip();
                q = qvalue(e.substring(semi + 1));
                if (q < 0) continue;
            }
            coding = coding.toLowerCase(Locale.ROOT);
            if (coding.equals("*")) star = q;
            else if (coding.equals("identity")) identity = q;
            else if (coding.equals("x-gzip")) set(ContentCoding.GZIP, q);
            else for (ContentCoding c : ContentCoding.values()) if (c.token().equals(coding)) set(c, q);
        }
    }

    private void set(ContentCoding c, int q) { weights[c.ordinal()] = Math.max(weights[c.ordinal()], q); }

    /** Parses {@code q=0.5} (after the ';', other parameters ignored); -1 when malformed. */
    static int qvalue(String params) {
        for (String p : params.split(";")) {
            String s = p.strip();
            if (s.length() < 2 || (s.charAt(0) != 'q' && s.charAt(0) != 'Q')) continue;
            int eq = s.indexOf('=');
            if (eq < 0 || !s.substring(1, eq).isBlank()) continue;
            String v = s.substring(eq + 1).strip();
            if (v.matches("0(\\.[0-9]{0,3})?")) {
                String frac = v.length() > 2 ? v.substring(2) : "";
                return frac.isEmpty() ? 0 : Integer.parseInt((frac + "00").substring(0, 3));
            }
            if (v.matches("1(\\.0{0,3})?")) return 1000;
            return -1;
        }
        return 1000;
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
        if (best == null) return null;
        int id = identityWeight();
        return bestWeight >= id ? best : null;
    }
}
