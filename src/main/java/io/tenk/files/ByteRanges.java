package io.tenk.files;

import io.tenk.http.HttpDate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Range requests (RFC 9110 §14) for a representation of known length. Pure: no I/O.
 *
 * <p>Policy, in order:
 * <ol>
 *   <li>No Range field, a unit other than {@code bytes} (case-insensitive), or any syntax error
 *       → {@link Full} (the RFC lets a server ignore a Range it does not like).</li>
 *   <li>An If-Range that does not match → Full. An entity-tag matches by strong comparison
 *       only; a date must equal Last-Modified exactly; anything else never matches.</li>
 *   <li>More than {@value #MAX_RANGES} range-specs → Full (CVE-2011-3192 "Apache Killer").</li>
 *   <li>Forms: {@code a-b} (b past the end is clamped), {@code a-}, {@code -n} (the last n
 *       bytes; all of them if n ≥ length). {@code a > b} is a syntax error. A spec starting at
 *       or past the end, or {@code -0}, is unsatisfiable and dropped; when none is left →
 *       {@link Unsatisfiable}. An empty file therefore answers any valid Range with
 *       Unsatisfiable (416 {@code bytes *}{@code /0}).</li>
 *   <li>When the satisfiable ranges together ask for more bytes than the file holds (overlap
 *       used to multiply the work) → Full.</li>
 *   <li>The ranges are sorted and overlapping or adjacent ones are coalesced → {@link Partial}
 *       with one or more disjoint ranges in ascending order.</li>
 * </ol>
 * All arithmetic is on longs: files past 4 GiB work; numbers too large for a long are clamped to
 * {@code Long.MAX_VALUE}, which is always past the end.
 */
public final class ByteRanges {
    /** The most range-specs one request may carry before the field is ignored. */
    public static final int MAX_RANGES = 16;

    /** The outcome of range evaluation. */
    public sealed interface Result permits Full, Partial, Unsatisfiable {}

    /** Send the whole representation (200). */
    public record Full() implements Result {}

    /** Send these disjoint ranges, ascending (206). Never empty. */
    public record Partial(List<Range> ranges) implements Result {
        public Partial { ranges = List.copyOf(ranges); if (ranges.isEmpty()) throw new IllegalArgumentException("no ranges"); }
    }

    /** No range overlaps the representation (416 with {@code Content-Range: bytes *}{@code /length}). */
    public record Unsatisfiable() implements Result {}

    /** Bytes {@code first} to {@code last}, both inclusive, as in Content-Range. */
    public record Range(long first, long last) {
        public Range {
            if (first < 0 || last < first) throw new IllegalArgumentException("bad range " + first + "-" + last);
        }

        public long length() { return last - first + 1; }

        /** The Content-Range value for this range of a representation of {@code total} bytes. */
        public String contentRange(long total) { return "bytes " + first + '-' + last + '/' + total; }
    }

    public static final Full FULL = new Full();
    public static final Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

    private ByteRanges() {}

    /**
     * @param range               the Range field value, or null
     * @param ifRange             the If-Range field value, or null
     * @param etag                the current strong entity-tag, quotes included
     * @param lastModifiedSeconds the current Last-Modified, seconds since the epoch
     * @param length              the representation's length in bytes
     */
    public static Result evaluate(String range, String ifRange, String etag, long lastModifiedSeconds, long length) {
        if (range == null) return FULL;
        if (ifRange != null && !ifRangeMatches(ifRange.strip(), etag, lastModifiedSeconds)) return FULL;

        String r = range.strip();
        int eq = r.indexOf('=');
        if (eq != 5 || !r.regionMatches(true, 0, "bytes", 0, 5)) return FULL;

        List<Range> ranges = new ArrayList<>(2);
        int specs = 0;
        long requested = 0;
        int i = eq + 1, n = r.length();
        while (i <= n) {
            int comma = r.indexOf(',', i);
            if (comma < 0) comma = n;
            String spec = r.substring(i, comma).strip();
            i = comma + 1;
            if (spec.isEmpty()) continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            if (++specs > MAX_RANGES) return FULL;
            int dash = spec.indexOf('-');
            if (dash < 0) return FULL;
            Range one;
            if (dash == 0) {
                long suffix = number(spec, 1, spec.length());
                if (suffix < 0) return FULL;
                if (suffix == 0 || length == 0) continue; // unsatisfiable
                one = new Range(Math.max(0, length - suffix), length - 1);
            } else {
                long first = number(spec, 0, dash);
                if (first < 0) return FULL;
                long last;
                if (dash == spec.length() - 1) {
                    last = Long.MAX_VALUE;
                } else {
                    last = number(spec, dash + 1, spec.length());
                    if (last < 0 || last < first) return FULL;
                }
                if (first >= length) continue; // unsatisfiable
                one = new Range(first, Math.min(last, length - 1));
            }
            ranges.add(one);
            requested += one.length();
            if (requested > length) return FULL; // checked per range, so the sum never overflows
        }
        if (specs == 0) return FULL;
        if (ranges.isEmpty()) return UNSATISFIABLE;
        return new Partial(coalesce(ranges));
    }

    /** Sorts and merges overlapping or adjacent ranges. */
    static List<Range> coalesce(List<Range> ranges) {
        if (ranges.size() == 1) return ranges;
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::first));
        List<Range> out = new ArrayList<>(sorted.size());
        Range cur = sorted.getFirst();
        for (int k = 1; k < sorted.size(); k++) {
            Range next = sorted.get(k);
            if (next.first() <= cur.last() + 1) {
                cur = new Range(cur.first(), Math.max(cur.last(), next.last()));
            } else {
                out.add(cur);
                cur = next;
            }
        }
        out.add(cur);
        return out;
    }

    /** RFC 9110 §13.1.5: an entity-tag by strong comparison, or a date equal to Last-Modified. */
    private static boolean ifRangeMatches(String ifRange, String etag, long lastModifiedSeconds) {
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) return EntityTags.strongEquals(ifRange, etag);
        long date = HttpDate.parse(ifRange);
        return date != Long.MIN_VALUE && date == lastModifiedSeconds;
    }

    /** The decimal digits in s[from, to) as a long (saturating at Long.MAX_VALUE), or -1 if not all digits / empty. */
    private static long number(String s, int from, int to) {
        if (from >= to) return -1;
        long v = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') return -1;
            int d = c - '0';
            v = v > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : v * 10 + d;
        }
        return v;
    }
}
