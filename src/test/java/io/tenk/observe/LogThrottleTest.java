package io.tenk.observe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogThrottleTest {
    @Test void oneLinePerIntervalTheFirstAtOnce() {
        AtomicLong now = new AtomicLong(-5); // nanoTime may be negative
        LogThrottle t = new LogThrottle(1000, now::get);
        List<String> out = new ArrayList<>();
        Consumer<String> log = t.wrap(out::add);
        log.accept("a");
        now.addAndGet(999);
        log.accept("b");
        now.addAndGet(1);
        log.accept("c");
        log.accept("d");
        assertEquals(List.of("a", "c"), out);
    }

    @Test void allowAtAGivenTime() {
        LogThrottle t = new LogThrottle(LogThrottle.ONE_SECOND);
        assertTrue(t.allow(0));
        assertFalse(t.allow(LogThrottle.ONE_SECOND - 1));
        assertTrue(t.allow(LogThrottle.ONE_SECOND));
    }
}
