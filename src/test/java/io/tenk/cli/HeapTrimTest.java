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
        HeapTrim trim = new HeapTrim(used::get, live::get, () -> 0, collections::incrementAndGet, now::get);

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

    @Test void dueWhenAWaveOfConnectionsHasClosed() {
        assertTrue(HeapTrim.waveClosed(10_000, 0, 6 * MIB, 3 * MIB));
        assertFalse(HeapTrim.waveClosed(10_000, 0, 4 * MIB, 3 * MIB), "the old generation grew by 1 MiB only");
        assertFalse(HeapTrim.waveClosed(10_000, 5_001, 6 * MIB, 3 * MIB), "more than half are still open");
        assertTrue(HeapTrim.waveClosed(10_000, 5_000, 6 * MIB, 3 * MIB));
        assertFalse(HeapTrim.waveClosed(1_500, 501, 6 * MIB, 3 * MIB), "fewer than a thousand closed");
        assertTrue(HeapTrim.waveClosed(1_500, 500, 6 * MIB, 3 * MIB));
        assertFalse(HeapTrim.waveClosed(10_000, 0, 44 * MIB, 40 * MIB), "40 MiB alive: 4 MiB is not an eighth of it");
        assertTrue(HeapTrim.waveClosed(10_000, 0, 45 * MIB + 1, 40 * MIB));
    }

    @Test void collectsOnceAWaveHasClosedAndNotWhileItIsOpen() {
        AtomicLong used = new AtomicLong(3 * MIB), live = new AtomicLong(3 * MIB), now = new AtomicLong();
        AtomicInteger open = new AtomicInteger(), collections = new AtomicInteger();
        HeapTrim trim = new HeapTrim(used::get, live::get, open::get, collections::incrementAndGet, now::get);

        open.set(10_000);
        used.set(6 * MIB); // the wave's connections, promoted: alive
        assertFalse(trim.check(), "the connections are open: nothing to reclaim");
        now.addAndGet(1_000_000_000L);
        open.set(0);
        assertTrue(trim.check(), "they closed: what they held is dead");
        assertEquals(1, collections.get());

        live.set(3 * MIB);
        now.addAndGet(HeapTrim.MIN_INTERVAL_SECONDS * 1_000_000_000L);
        used.set(6 * MIB);
        assertFalse(trim.check(), "the peak was taken again at the collection: no wave since");
        open.set(10_000);
        assertFalse(trim.check());
        open.set(100);
        assertTrue(trim.check(), "the next wave closed");
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
        HeapTrim trim = HeapTrim.start(() -> 0);
        org.junit.jupiter.api.Assumptions.assumeTrue(trim != null, "the serial collector (the build's tests run with it)");
        assertTrue(trim.running());
        trim.close();
        assertFalse(trim.running(), "closed: its thread has ended");
    }
}
