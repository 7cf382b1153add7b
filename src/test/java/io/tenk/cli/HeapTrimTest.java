package io.tenk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the old generation is collected: its policy with readings given, then its wiring to this JVM. */
class HeapTrimTest {
    private static final long MIB = 1 << 20;

    @Test void dueWhenTheGarbageOutgrowsWhatLivesOrTheFloor() {
        assertFalse(HeapTrim.due(8 * MIB, 0), "no more than the floor since the last full collection");
        assertTrue(HeapTrim.due(8 * MIB + 1, 0));
        assertFalse(HeapTrim.due(18 * MIB, 10 * MIB), "10 MiB alive: the floor still rules");
        assertTrue(HeapTrim.due(18 * MIB + 1, 10 * MIB));
        assertFalse(HeapTrim.due(60 * MIB, 40 * MIB), "40 MiB alive: half as much again is allowed");
        assertTrue(HeapTrim.due(60 * MIB + 1, 40 * MIB));
    }

    @Test void collectsWhenDueAndNotAgainWithinTheInterval() {
        AtomicLong used = new AtomicLong(6 * MIB), live = new AtomicLong(), now = new AtomicLong(5_000_000_000L);
        AtomicInteger collections = new AtomicInteger();
        HeapTrim trim = new HeapTrim(used::get, live::get, collections::incrementAndGet, now::get);

        assertFalse(trim.check(), "6 MiB: within the floor");
        used.set(30 * MIB);
        assertTrue(trim.check());
        assertEquals(1, collections.get());

        live.set(12 * MIB); // what the collection left; the old generation fills up again at once
        used.set(60 * MIB);
        now.addAndGet(HeapTrim.MIN_INTERVAL_SECONDS * 1_000_000_000L - 1);
        assertFalse(trim.check(), "too soon after the last one");
        now.addAndGet(1);
        assertTrue(trim.check());
        assertEquals(2, collections.get());
    }

    @Test void findsTheSerialCollectorsOldGeneration() {
        boolean serial = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(c -> c.getName().equals("MarkSweepCompact"));
        if (!serial) {
            assertNull(HeapTrim.tenured(), "other collectors reclaim their old regions themselves");
            return;
        }
        assertNotNull(HeapTrim.tenured());
        assertTrue(HeapTrim.tenured().getUsage().getUsed() > 0, "the old generation holds what start-up promoted");
    }

    @Test void itsThreadEndsWhenClosed() {
        HeapTrim trim = HeapTrim.start();
        org.junit.jupiter.api.Assumptions.assumeTrue(trim != null, "the serial collector (the build's tests run with it)");
        assertTrue(trim.running());
        trim.close();
        assertFalse(trim.running(), "closed: its thread has ended");
    }
}
