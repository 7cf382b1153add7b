package io.tenk.config;

import java.time.Duration;

/**
 * How long a connection may take for each thing it does.
 *
 * @param header    from the first byte of a request to the end of its head (slowloris); then 408 and close
 * @param body      a request body that makes no progress for this long is abandoned (close)
 * @param idle      a kept-alive connection with no request in progress is closed after this long
 * @param write     a response that makes no progress for this long is abandoned (slow readers)
 * @param shutdown  on stop, in-flight responses get this long to finish
 * @param minWriteRate bytes per second a response must average: one of N bytes must be written
 *                  within {@code write + N / minWriteRate}, or the connection closes (readers that
 *                  trickle); 0 for no such bound
 */
public record Timeouts(Duration header, Duration body, Duration idle, Duration write, Duration shutdown, long minWriteRate) {
    /** The minimum write rate when none is given: 4 KiB/s, far below any client that is really reading. */
    public static final long DEFAULT_MIN_WRITE_RATE = 4096;

    public Timeouts {
        for (Duration d : new Duration[] {header, body, idle, write, shutdown}) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
        }
        if (minWriteRate < 0) throw new IllegalArgumentException("the minimum write rate cannot be negative");
    }

    /** Timeouts with the default minimum write rate. */
    public Timeouts(Duration header, Duration body, Duration idle, Duration write, Duration shutdown) {
        this(header, body, idle, write, shutdown, DEFAULT_MIN_WRITE_RATE);
    }

    /** These timeouts with the idle timeout at most {@code max}. */
    public Timeouts withIdleAtMost(Duration max) {
        return idle.compareTo(max) <= 0 ? this : new Timeouts(header, body, max, write, shutdown, minWriteRate);
    }

    /** These timeouts with another minimum write rate (bytes per second, 0 for none). */
    public Timeouts withMinWriteRate(long bytesPerSecond) {
        return new Timeouts(header, body, idle, write, shutdown, bytesPerSecond);
    }

    /**
     * The time ({@link System#nanoTime()} scale) by which a response of {@code length} bytes whose
     * writing began at {@code start} must be written in full: the write timeout plus the time the
     * minimum rate allows for its bytes (some 70 years when there is no minimum rate).
     */
    public long writeDeadline(long start, long length) {
        double nanos = minWriteRate == 0 ? UNBOUNDED : write.toNanos() + length * 1e9 / minWriteRate;
        return start + (long) Math.min(UNBOUNDED, nanos);
    }

    private static final long UNBOUNDED = Long.MAX_VALUE / 4;
}
