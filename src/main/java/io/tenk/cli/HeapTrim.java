package io.tenk.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Keeps the serial collector's old generation near what is alive in it. A keep-alive connection
 * lives long enough to be promoted, so every connection that closes leaves its objects dead in the
 * old generation, where only a full collection reclaims them, and the serial collector grows the
 * heap rather than run one until the heap reaches its limit: each wave of 10,000 connections left
 * 10 MiB more of RSS behind, on to the 256 MiB heap limit. Once a second this looks at the old
 * generation, and asks for a full collection when it holds more than it did after the last one by
 * half that much again, or by {@value #FLOOR_MIB} MiB if that is more; at most one every
 * {@value #MIN_INTERVAL_SECONDS} seconds. A full collection with 14 MiB alive paused the server for
 * 25-36 ms on a 2-core machine; the heap then shrinks back at once within the launcher's free-ratio
 * bounds ({@code -XX:-ShrinkHeapInSteps}).
 *
 * <p>A wave of connections that closes is the other sign: when the connections open have fallen to
 * half their peak since the last full collection, by at least {@value #WAVE_CLOSED} of them, and
 * the old generation has grown by {@value #WAVE_FLOOR_KIB} KiB since (and by an eighth of what was
 * alive), what they held is most of that growth. Collected then, the next wave's promotions land
 * on the pages the last one used, not on new ones: 10,000 keep-alive connections opened three
 * times over left the process 2.6 MiB larger each time (the old generation's high-water mark; the
 * pages it once used stay resident).
 *
 * <p>Only for the process the command line owns, and only with the serial collector (a pool named
 * "Tenured Gen"): the other collectors reclaim their old regions on their own, and a program that
 * embeds tenk keeps its collector's policy.
 */
final class HeapTrim implements AutoCloseable {
    static final long FLOOR_MIB = 8;
    static final long MIN_INTERVAL_SECONDS = 10;
    static final int WAVE_CLOSED = 1_000;
    static final long WAVE_FLOOR_KIB = 1_024;
    private static final long PERIOD_MILLIS = 1_000;

    private final LongSupplier used, afterLastFull, clock;
    private final IntSupplier open;
    private final Runnable collect;
    private long lastCollect;
    private boolean collectedOnce;
    private int peakOpen; // connections open, at most, since the last full collection
    private final Thread thread;

    /** Watches what the suppliers read, when {@link #check()} is called; no thread of its own. */
    HeapTrim(LongSupplier used, LongSupplier afterLastFull, IntSupplier open, Runnable collect, LongSupplier clock) {
        this(used, afterLastFull, open, collect, clock, false);
    }

    private HeapTrim(LongSupplier used, LongSupplier afterLastFull, IntSupplier open, Runnable collect, LongSupplier clock,
                     boolean watch) {
        this.used = used;
        this.afterLastFull = afterLastFull;
        this.open = open;
        this.collect = collect;
        this.clock = clock;
        this.thread = watch ? Thread.ofPlatform().daemon().name("tenk-heap-trim").start(this::run) : null;
    }

    /**
     * Starts watching this JVM's old generation, or returns null under another collector. The
     * collector is asked for here, at start: the management classes load a native library, and
     * one that failed to load (say, with every descriptor taken by clients) would leave them
     * unusable for the process's life, metrics included. {@code open} tells the connections open
     * (0 before the server has started).
     */
    static HeapTrim start(IntSupplier open) {
        MemoryPoolMXBean pool;
        long atStart; // before any full collection, what start-up left there is the base
        try {
            pool = tenured();
            if (pool == null) return null;
            atStart = pool.getUsage().getUsed();
        } catch (RuntimeException | LinkageError e) {
            return null; // an economy, not a need: the server runs without it
        }
        return new HeapTrim(() -> pool.getUsage().getUsed(), () -> {
            MemoryUsage after = pool.getCollectionUsage();
            return Math.max(atStart, after == null ? 0 : after.getUsed());
        }, open, System::gc, System::nanoTime, true);
    }


    /** The serial collector's old generation, or null under another collector. */
    static MemoryPoolMXBean tenured() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Tenured Gen")) return pool;
        }
        return null;
    }

    /** Whether an old generation of {@code used} bytes, {@code afterLastFull} after its last full collection, is due one. */
    static boolean due(long used, long afterLastFull) {
        return used - afterLastFull > Math.max(FLOOR_MIB << 20, afterLastFull / 2);
    }

    /**
     * Whether a wave of connections has closed: {@code open} is at most half of {@code peakOpen},
     * {@value #WAVE_CLOSED} fewer at least, and the old generation grew since its last full
     * collection by {@value #WAVE_FLOOR_KIB} KiB and by an eighth of what was alive then (a large
     * heap, a file cache's say, is not walked again for a little garbage).
     */
    static boolean waveClosed(int peakOpen, int open, long used, long afterLastFull) {
        return peakOpen - open >= WAVE_CLOSED && open <= peakOpen / 2
                && used - afterLastFull > Math.max(WAVE_FLOOR_KIB << 10, afterLastFull / 8);
    }

    /** One look: collects when due and the last collection is far enough behind. Returns whether it did. */
    boolean check() {
        int openNow = open.getAsInt();
        peakOpen = Math.max(peakOpen, openNow);
        long now = clock.getAsLong();
        if (collectedOnce && now - lastCollect < MIN_INTERVAL_SECONDS * 1_000_000_000L) return false;
        long usedNow = used.getAsLong(), live = afterLastFull.getAsLong();
        if (!due(usedNow, live) && !waveClosed(peakOpen, openNow, usedNow, live)) return false;
        collect.run();
        lastCollect = now;
        collectedOnce = true;
        peakOpen = openNow;
        return true;
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(PERIOD_MILLIS); // a period, not a wait for a condition
                check();
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            // the pool could not be read: the server goes on without the trim, and says nothing to its clients
        }
    }

    /** Whether its thread is watching. */
    boolean running() { return thread != null && thread.isAlive(); }

    @Override public void close() {
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
