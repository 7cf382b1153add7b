package io.tenk.files;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used map bounded both in entries and in total weight (bytes). Thread-safe
 * through one lock held only for map operations, never while a value is computed or read from
 * disk.
 */
final class BoundedLru<K, V> {
    private final int maxEntries;
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private final LinkedHashMap<K, V> map = new LinkedHashMap<>(64, 0.75f, true);
    private final ReentrantLock lock = new ReentrantLock();
    private long weight;

    BoundedLru(int maxEntries, long maxWeight, ToLongFunction<V> weigher) {
        this.maxEntries = maxEntries;
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    V get(K key) {
        lock.lock();
        try {
            return map.get(key);
        } finally {
            lock.unlock();
        }
    }

    /** Stores the value, then drops the least recently used entries until both bounds hold. */
    void put(K key, V value) {
        long w = weigher.applyAsLong(value);
        if (w > maxWeight) return;
        lock.lock();
        try {
            V old = map.put(key, value);
            if (old != null) weight -= weigher.applyAsLong(old);
            weight += w;
            Iterator<Map.Entry<K, V>> it = map.entrySet().iterator();
            while ((map.size() > maxEntries || weight > maxWeight) && it.hasNext()) {
                Map.Entry<K, V> e = it.next();
                if (e.getKey().equals(key) && map.size() == 1) break;
                weight -= weigher.applyAsLong(e.getValue());
                it.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return map.size();
        } finally {
            lock.unlock();
        }
    }

    long weight() {
        lock.lock();
        try {
            return weight;
        } finally {
            lock.unlock();
        }
    }
}
