package io.tenk.files;

import io.tenk.http.Headers;
import io.tenk.http.HttpDate;
import io.tenk.http.Method;

/**
 * Conditional requests (RFC 9110 §13.2.2), evaluated in the RFC's order, in one function:
 * <ol>
 *   <li>If-Match (strong comparison; {@code *} matches): false → 412;</li>
 *   <li>else, without If-Match, If-Unmodified-Since: modified after the date → 412;</li>
 *   <li>If-None-Match (weak comparison; {@code *} matches): a match → 304 for GET/HEAD, 412 otherwise;</li>
 *   <li>else, without If-None-Match and for GET/HEAD only, If-Modified-Since: not modified
 *       since the date → 304.</li>
 * </ol>
 * An unparseable date is ignored, as is an If-Modified-Since date in the future. A blank field
 * counts as absent. Several field lines of a list field (If-Match, If-None-Match) are combined.
 * If-Range belongs to range handling ({@link ByteRanges}). The resource always exists here: it
 * has just been stat'ed.
 */
public final class Preconditions {

    /** What the conditions say. */
    public enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Preconditions() {}

    /** Stands for "read the clock if a date needs it" (most requests carry no If-Modified-Since). */
    private static final long NOW = Long.MIN_VALUE;

    /** Evaluates against the current time, read only when an If-Modified-Since needs it. */
    public static Outcome evaluate(Method method, Headers request, String etag, long lastModifiedSeconds) {
        return evaluate(method, request, etag, lastModifiedSeconds, NOW);
    }

    /**
     * @param method              the request method
     * @param request             the request's header fields
     * @param etag                the current entity-tag, quotes included
     * @param lastModifiedSeconds the current modification time, seconds since the epoch
     * @param nowSeconds          the current time (If-Modified-Since dates after it are ignored)
     */
    public static Outcome evaluate(Method method, Headers request, String etag, long lastModifiedSeconds, long nowSeconds) {
        boolean getOrHead = method == Method.GET || method == Method.HEAD;

        String ifMatch = list(request, "If-Match");
        if (ifMatch != null) {
            if (!EntityTags.listMatches(ifMatch, etag, true)) return Outcome.PRECONDITION_FAILED;
        } else {
            long since = date(request, "If-Unmodified-Since");
            if (since != Long.MIN_VALUE && lastModifiedSeconds > since) return Outcome.PRECONDITION_FAILED;
        }

        String ifNoneMatch = list(request, "If-None-Match");
        if (ifNoneMatch != null) {
            if (EntityTags.listMatches(ifNoneMatch, etag, false)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (getOrHead) {
            long since = date(request, "If-Modified-Since");
            if (since != Long.MIN_VALUE && lastModifiedSeconds <= since
                    && since <= (nowSeconds == NOW ? System.currentTimeMillis() / 1000 : nowSeconds)) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /** The field's lines joined with ',' (RFC 9110 §5.3), or null when absent or blank. */
    private static String list(Headers h, String name) {
        int count = h.count(name);
        if (count == 0) return null;
        String v = count == 1 ? h.get(name) : String.join(",", h.all(name));
        return EntityTags.blank(v) ? null : v;
    }

    private static long date(Headers h, String name) {
        String v = h.get(name);
        return EntityTags.blank(v) ? Long.MIN_VALUE : HttpDate.parse(v);
    }
}
