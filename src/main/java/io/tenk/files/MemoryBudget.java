package io.tenk.files;

/**
 * The one memory budget of every cache in the process: the open-file caches, the gzip caches and
 * the rendered listings of every site live in one least-recently-used store bounded in bytes, so
 * that sites added to a config never promise more than the heap holds.
 *
 * <p>What is counted: each entry's value (file content, compressed bytes, a rendered listing and
 * its entries), its key (a path a client chose can be as long as the request line allows), and a
 * fixed {@link #ENTRY_OVERHEAD} for the map node and the records around them. The bound of the
 * process's budget ({@link #process()}) is {@link #HEAP_FRACTION} of the heap the JVM may grow to
 * ({@link Runtime#maxMemory()}): 64 MiB under the launcher's 256 MiB.
 */
public final class MemoryBudget {
    /** The share of the maximum heap that all caches together may hold. */
    public static final double HEAP_FRACTION = 0.25;
    /** Bytes counted per entry besides its key and value: map node, key and entry records, headers. */
    public static final long ENTRY_OVERHEAD = 160;

    private static final MemoryBudget PROCESS = ofBytes((long) (Runtime.getRuntime().maxMemory() * HEAP_FRACTION));

    private final BoundedLru<Object, Object> store;

    private MemoryBudget(long maxBytes) {
        this.store = new BoundedLru<>(maxBytes);
    }

    /** The budget every cache of this process shares. */
    public static MemoryBudget process() { return PROCESS; }

    /** A budget of its own (tests, tools). */
    public static MemoryBudget ofBytes(long maxBytes) {
        return new MemoryBudget(Math.max(0, maxBytes));
    }

    /** The bytes a string key or field costs (a UTF-16 array at worst, plus its headers). */
    public static long weigh(String s) {
        return 48 + 2L * s.length();
    }

    /** The value under {@code key}, if it is held and of this type. */
    <V> V get(Object key, Class<V> type) {
        Object v = store.get(key);
        return type.isInstance(v) ? type.cast(v) : null;
    }

    /**
     * Keeps {@code value} under {@code key}, counted as {@code bytes} (key and value) plus
     * {@link #ENTRY_OVERHEAD}; least recently used entries of any cache leave to make room.
     */
    void put(Object key, Object value, long bytes) {
        store.put(key, value, bytes + ENTRY_OVERHEAD);
    }

    /** The bound, in bytes. */
    public long maxBytes() { return store.maxWeight(); }

    /** Bytes held now, keys and overheads counted. */
    public long bytes() { return store.weight(); }

    /** Entries held now. */
    public int entries() { return store.size(); }
}
