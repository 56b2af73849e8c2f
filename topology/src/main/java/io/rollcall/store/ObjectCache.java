package io.rollcall.store;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Values written since the last flush ({@code pending}, each with the record context that
 * produced it) and recently read or flushed values ({@code clean}, bounded). Both are hash
 * maps: point reads are the hot path; a range read sorts its (small) share of pending values.
 *
 * <p>One thread writes (the stream thread that owns the task); any thread may read. Values are
 * immutable, both maps are concurrent, and a value moves from pending to clean only after it
 * was written to the store underneath, so a reader that misses both finds it there. Readers
 * other than the writer never fill {@code clean}: a value read from the store by a query
 * thread could be older than one the writer is flushing at that moment.
 */
final class ObjectCache<K, V> {

    /** A value not yet in the store underneath, and the context of the record that made it. */
    record Pending<V>(ValueAndTimestamp<V> value, ProcessorRecordContext context) {
    }

    private final Comparator<K> order;
    private final ConcurrentHashMap<K, Pending<V>> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<K, ValueAndTimestamp<V>> clean = new ConcurrentHashMap<>();
    private final int capacity;
    private int pendingCount;
    private volatile Thread writer;

    ObjectCache(Comparator<K> order, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.order = order;
        this.capacity = capacity;
    }

    /** The newest value of {@code key} if cached, else null (look in the store underneath). */
    ValueAndTimestamp<V> get(K key) {
        Pending<V> p = pending.get(key);
        return p != null ? p.value() : clean.get(key);
    }

    /** Remembers a value just read from the store underneath, if called by the writer. */
    void remember(K key, ValueAndTimestamp<V> value) {
        if (Thread.currentThread() == writer && clean.size() < capacity) {
            clean.put(key, value);
        }
    }

    /** Records a new value; returns whether pending now holds more than the capacity. */
    boolean put(K key, ValueAndTimestamp<V> value, ProcessorRecordContext context) {
        writer = Thread.currentThread();
        if (pending.put(key, new Pending<>(value, context)) == null) {
            pendingCount++;
        }
        return pendingCount > capacity;
    }

    /** A sorted copy of the pending values from {@code from} to {@code to} (inclusive; null: unbounded). */
    NavigableMap<K, ValueAndTimestamp<V>> pendingBetween(K from, K to) {
        NavigableMap<K, ValueAndTimestamp<V>> copy = new TreeMap<>(order);
        pending.forEach((key, p) -> {
            if ((from == null || order.compare(key, from) >= 0) && (to == null || order.compare(key, to) <= 0)) {
                copy.put(key, p.value());
            }
        });
        return copy;
    }

    int pendingCount() {
        return pendingCount;
    }

    /**
     * Hands every pending value to {@code write} (which must put it into the store
     * underneath), then moves it to clean; trims clean to the capacity.
     */
    void flush(BiConsumer<K, Pending<V>> write) {
        for (Iterator<Map.Entry<K, Pending<V>>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Pending<V>> entry = it.next();
            write.accept(entry.getKey(), entry.getValue());
            clean.put(entry.getKey(), entry.getValue().value());
            it.remove();
        }
        pendingCount = 0;
        if (clean.size() > capacity) {
            // Drop a quarter more than needed, so this runs once per many flushes, not every one.
            int excess = clean.size() - capacity * 3 / 4;
            for (Iterator<K> it = clean.keySet().iterator(); it.hasNext() && excess > 0; excess--) {
                it.next();
                it.remove();
            }
        }
    }

    /** Forgets everything, pending values included (the task is closed or its state is wiped). */
    void clear() {
        pending.clear();
        pendingCount = 0;
        clean.clear();
    }
}
