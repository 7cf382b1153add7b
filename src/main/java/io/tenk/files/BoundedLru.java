package io.tenk.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A map bounded in total weight (bytes) that drops the least recently used entries first. Each
 * value is stored with the weight its caller gave, which counts the key as well as the value.
 *
 * <p>Lookups take no lock (every event loop reads it for every request): a hit only stamps its
 * entry with the time, and at most once a millisecond, so that loops on different cores reading
 * the same hot entry do not keep writing to one cache line. Storing past the bound evicts under a lock, the oldest entries first, down
 * to seven eighths of the bound, so that a full cache does not scan itself on every store.
 * Recency is approximate under concurrency (two lookups at once may stamp in either order).
 */
final class BoundedLru<K, V> {
    private static final class Node<V> {
        final V value;
        final long weight;
        long used; // System.nanoTime() of the last store or hit; racy writes are fine, it only orders evictions

        Node(V value, long weight, long used) {
            this.value = value;
            this.weight = weight;
            this.used = used;
        }
    }

    /** Recency is kept to this precision: a hit within it of the last stamp writes nothing. */
    private static final long STAMP_NANOS = 1_000_000L;

    private final long maxWeight;
    private final ConcurrentHashMap<K, Node<V>> map = new ConcurrentHashMap<>(64);
    private final AtomicLong weight = new AtomicLong();
    private final ReentrantLock evicting = new ReentrantLock();

    BoundedLru(long maxWeight) {
        this.maxWeight = maxWeight;
    }

    V get(K key) {
        Node<V> n = map.get(key);
        if (n == null) return null;
        long now = System.nanoTime();
        if (now - n.used > STAMP_NANOS) n.used = now;
        return n.value;
    }

    /**
     * Stores the value, then drops the least recently used entries if the bound no longer holds. A
     * value heavier than the whole bound is not stored (and an older value under its key is dropped).
     */
    void put(K key, V value, long w) {
        if (w > maxWeight) {
            Node<V> old = map.remove(key);
            if (old != null) weight.addAndGet(-old.weight);
            return;
        }
        Node<V> old = map.put(key, new Node<>(value, w, System.nanoTime()));
        long total = weight.addAndGet(w - (old == null ? 0 : old.weight));
        if (total > maxWeight) evict();
    }

    private void evict() {
        evicting.lock();
        try {
            if (weight.get() <= maxWeight) return; // another thread made room
            List<Map.Entry<K, Node<V>>> entries = new ArrayList<>(map.entrySet());
            entries.sort(Comparator.comparingLong(e -> e.getValue().used));
            long target = maxWeight - maxWeight / 8;
            for (Map.Entry<K, Node<V>> e : entries) {
                if (weight.get() <= target) break;
                if (map.remove(e.getKey(), e.getValue())) weight.addAndGet(-e.getValue().weight);
            }
        } finally {
            evicting.unlock();
        }
    }

    long maxWeight() { return maxWeight; }

    int size() { return map.size(); }

    long weight() { return weight.get(); }
}
