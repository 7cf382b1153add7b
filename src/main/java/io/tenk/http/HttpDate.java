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
    /** The parsers, built on first use: a server that formats dates only never pays for them. */
    private static final class Parsers {
        static final DateTimeFormatter IMF_FIXDATE =
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
        /** RFC 850 without its weekday: a two-digit year maps into the 100 years ending 50 years from now. */
        static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
                .appendPattern("dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).getYear() - 49)
                .appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.ROOT).withZone(ZoneOffset.UTC);
        static final DateTimeFormatter ASCTIME =
                DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
    }

    private static final String[] DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; // 1970-01-01 was a Thursday
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

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
        // by hand: a java.time formatter costs a start some 15 ms to build and allocates per call
        long day = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        if (date.getYear() < 1000 || date.getYear() > 9999) { // not four digits: as java.time writes it
            return Parsers.IMF_FIXDATE.format(java.time.Instant.ofEpochSecond(epochSecond));
        }
        StringBuilder b = new StringBuilder(29)
                .append(DAYS[(int) Math.floorMod(day, 7)]).append(", ");
        two(b, date.getDayOfMonth()).append(' ').append(MONTHS[date.getMonthValue() - 1]).append(' ');
        two(b, date.getYear() / 100);
        two(b, date.getYear() % 100).append(' ');
        two(b, secondOfDay / 3600).append(':');
        two(b, secondOfDay / 60 % 60).append(':');
        return two(b, secondOfDay % 60).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
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
            return ZonedDateTime.parse(s, Parsers.IMF_FIXDATE).toEpochSecond();
        } catch (DateTimeParseException ignored) {
            // fall through to the obsolete forms
        }
        int comma = s.indexOf(", ");
        if (comma > 0 && s.indexOf('-') > comma) {
            try {
                return ZonedDateTime.parse(s.substring(comma + 2), Parsers.RFC_850).toEpochSecond();
            } catch (DateTimeParseException ignored) {
                return Long.MIN_VALUE;
            }
        }
        try {
            return LocalDateTime.parse(s, Parsers.ASCTIME).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            return Long.MIN_VALUE;
        }
    }
}
