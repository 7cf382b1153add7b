package io.tenk.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as users write them: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number is seconds. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    private Durations() {}

    /** @throws IllegalArgumentException with a user-facing message naming the option */
    static Duration parse(String option, String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a duration (e.g. 10s, 500ms, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) throw new IllegalArgumentException(option + " must be more than 0");
        if (d.compareTo(Duration.ofDays(1)) > 0) throw new IllegalArgumentException(option + " must be at most 24h");
        return d;
    }
}
