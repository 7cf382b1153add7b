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
 */
public record Timeouts(Duration header, Duration body, Duration idle, Duration write, Duration shutdown) {
    public Timeouts {
        for (Duration d : new Duration[] {header, body, idle, write, shutdown}) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** These timeouts with the idle timeout at most {@code max}. */
    public Timeouts withIdleAtMost(Duration max) {
        return idle.compareTo(max) <= 0 ? this : new Timeouts(header, body, max, write, shutdown);
    }
}
