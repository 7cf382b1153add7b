package io.tenk.files;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A least-recently-used map bounded in total weight (bytes). Each value is stored with the
 * weight its caller gave, which counts the key as well as the value. Thread-safe through one
 * lock held only for map operations, never while a value is computed or read from disk.
 */
final class BoundedLru<K, V> {
    private record Weighed<V>(V value, long weight) {}

    private final long maxWeight;
    private final LinkedHashMap<K, Weighed<V>> map = new LinkedHashMap<>(64, 0.75f, true);
    private final ReentrantLock lock = new ReentrantLock();
    private long weight;

    BoundedLru(long maxWeight) {
        this.maxWeight = maxWeight;
    }

    V get(K key) {
        lock.lock();
        try {
            Weighed<V> w = map.get(key);
            return w == null ? null : w.value;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores the value, then drops the least recently used entries until the bound holds. A value
     * heavier than the whole bound is not stored (and an older value under its key is dropped).
     */
    void put(K key, V value, long w) {
        lock.lock();
        try {
            Weighed<V> old = w > maxWeight ? map.remove(key) : map.put(key, new Weighed<>(value, w));
            if (old != null) weight -= old.weight;
            if (w > maxWeight) return;
            weight += w;
            Iterator<Map.Entry<K, Weighed<V>>> it = map.entrySet().iterator();
            while (weight > maxWeight && it.hasNext()) {
                Map.Entry<K, Weighed<V>> e = it.next();
                weight -= e.getValue().weight;
                it.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    long maxWeight() { return maxWeight; }

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
