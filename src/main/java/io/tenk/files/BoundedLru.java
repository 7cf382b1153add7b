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
 * <p>Lookups take no lock and read no clock (every event loop reads it for every request):
 * recency is counted in stores, not time. Each store advances a generation; a hit stamps its entry
 * with the current generation, and writes only when the entry's stamp is older, so that loops on
 * different cores reading the same hot entry do not keep writing to one cache line. Storing past
 * the bound evicts under a lock, the entries with the oldest stamps first, down to seven eighths
 * of the bound, so that a full cache does not scan itself on every store. Entries hit between the
 * same two stores rank alike, and recency is approximate under concurrency.
 */
final class BoundedLru<K, V> {
    private static final class Node<V> {
        final V value;
        final long weight;
        long used; // the generation of the last store or hit; racy writes are fine, it only orders evictions

        Node(V value, long weight, long used) {
            this.value = value;
            this.weight = weight;
            this.used = used;
        }
    }

    private final long maxWeight;
    private final ConcurrentHashMap<K, Node<V>> map = new ConcurrentHashMap<>(64);
    private final AtomicLong weight = new AtomicLong();
    /** Advanced by each store: a store is older than every hit after it. */
    private final AtomicLong generation = new AtomicLong();
    private final ReentrantLock evicting = new ReentrantLock();

    BoundedLru(long maxWeight) {
        this.maxWeight = maxWeight;
    }

    V get(K key) {
        Node<V> n = map.get(key);
        if (n == null) return null;
        long g = generation.get();
        if (n.used != g) n.used = g;
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
        Node<V> old = map.put(key, new Node<>(value, w, generation.getAndIncrement()));
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
