package io.tenk.observe;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * At most one error-log line per interval for an event that can repeat as fast as clients send
 * (refused connections, a pattern over its match budget): the first line goes out at once, later
 * ones within the interval are dropped. Thread-safe; one throttle per kind of event.
 */
public final class LogThrottle {
    /** The interval tenk uses: one line per second per kind of event. */
    public static final long ONE_SECOND = 1_000_000_000L;

    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong last = new AtomicLong();
    private volatile boolean started;

    public LogThrottle(long intervalNanos) { this(intervalNanos, System::nanoTime); }

    LogThrottle(long intervalNanos, LongSupplier clock) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** Whether a line may go out now (and, if so, the interval starts again). */
    public boolean allow() { return allow(clock.getAsLong()); }

    /** Like {@link #allow()} at the time {@code now} (nanoTime) the caller already has. */
    public boolean allow(long now) {
        long prev = last.get();
        if (started && now - prev < intervalNanos) return false;
        if (!last.compareAndSet(prev, now)) return false;
        started = true;
        return true;
    }

    /** A consumer that passes lines to {@code log} at most once per interval. */
    public Consumer<String> wrap(Consumer<String> log) {
        return line -> {
            if (allow()) log.accept(line);
        };
    }
}
