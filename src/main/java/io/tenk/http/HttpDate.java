package io.tenk.http;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 §5.6.7): formatting as IMF-fixdate, parsing all three historical forms.
 * {@link #now()} is formatted at most once per second, whatever the request rate.
 */
public final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** RFC 850 without its weekday: a two-digit year maps into the 100 years ending 50 years from now. */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).getYear() - 49)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The formatted current second; replaced, never mutated, so readers on any thread see a whole value. */
    private record Cached(long second, String text, byte[] bytes) {}

    private static volatile Cached cached = new Cached(Long.MIN_VALUE, "", new byte[0]);

    private HttpDate() {}

    /** The current time as IMF-fixdate bytes (US-ASCII). Shared: do not mutate. */
    public static byte[] nowBytes() { return current().bytes; }

    /** The current time as IMF-fixdate text. */
    public static String now() { return current().text; }

    private static Cached current() {
        long sec = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != sec) {
            String text = format(sec);
            c = new Cached(sec, text, text.getBytes(StandardCharsets.US_ASCII));
            cached = c;
        }
        return c;
    }

    /** Seconds since the epoch as IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String format(long epochSecond) {
        return IMF_FIXDATE.format(java.time.Instant.ofEpochSecond(epochSecond));
    }

    /**
     * Parses an HTTP date in any of its three forms and returns seconds since the epoch, or
     * {@code Long.MIN_VALUE} when the text is not a valid date (callers then ignore the field).
     */
    public static long parse(String text) {
        if (text == null) return Long.MIN_VALUE;
        String s = text.strip();
        if (s.isEmpty() || s.length() > 64) return Long.MIN_VALUE;
        try {
            return ZonedDateTime.parse(s, IMF_FIXDATE).toEpochSecond();
        } catch (DateTimeParseException ignored) {
            // fall through to the obsolete forms
        }
        int comma = s.indexOf(", ");
        if (comma > 0 && s.indexOf('-') > comma) {
            try {
                return ZonedDateTime.parse(s.substring(comma + 2), RFC_850).toEpochSecond();
            } catch (DateTimeParseException ignored) {
                return Long.MIN_VALUE;
            }
        }
        try {
            return LocalDateTime.parse(s, ASCTIME).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            return Long.MIN_VALUE;
        }
    }
}
