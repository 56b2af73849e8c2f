package io.rollcall.store;

import io.rollcall.schema.SeriesId;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.internals.Change;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.internals.CacheFlushListener;

/**
 * The all-time store: values per series id as objects in front of Streams' timestamped
 * RocksDB store. Point reads and key ranges see pending values; {@code reverseRange},
 * {@code reverseAll} and {@code prefixScan} are not offered. Values are never deleted.
 *
 * @param <V> the stored values, immutable
 */
public final class CachedKeyValueStore<V>
        extends ObjectCachingStore<TimestampedKeyValueStore<byte[], V>, Long, V>
        implements TimestampedKeyValueStore<byte[], V> {

    private static final Comparator<Long> UNSIGNED = Long::compareUnsigned;

    private CacheFlushListener<byte[], V> listener;

    CachedKeyValueStore(TimestampedKeyValueStore<byte[], V> inner, int capacity) {
        super(inner, UNSIGNED, capacity);
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<byte[], V> flushListener, boolean sendOldValues) {
        this.listener = flushListener;
        return true;
    }

    @Override
    void write(Long id, ValueAndTimestamp<V> value) {
        byte[] key = SeriesId.of(id).toBytes();
        wrapped().put(key, value);
        if (listener != null) {
            listener.apply(new Record<>(key, new Change<>(value.value(), null), value.timestamp()));
        }
    }

    @Override
    public ValueAndTimestamp<V> get(byte[] key) {
        return read(SeriesId.fromBytes(key).bits(), () -> wrapped().get(key));
    }

    @Override
    public void put(byte[] key, ValueAndTimestamp<V> value) {
        pend(SeriesId.fromBytes(key).bits(), value);
    }

    @Override
    public ValueAndTimestamp<V> putIfAbsent(byte[] key, ValueAndTimestamp<V> value) {
        ValueAndTimestamp<V> existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<byte[], ValueAndTimestamp<V>>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public ValueAndTimestamp<V> delete(byte[] key) {
        throw new UnsupportedOperationException("values of the all-time store are never deleted");
    }

    @Override
    public KeyValueIterator<byte[], ValueAndTimestamp<V>> range(byte[] from, byte[] to) {
        // The snapshot of pending values first, then the store's iterator: a value flushed in
        // between is then in both (same value), never in neither.
        var pending = cache.pendingBetween(from == null ? null : SeriesId.fromBytes(from).bits(),
                to == null ? null : SeriesId.fromBytes(to).bits());
        return new MergedIterator<>(wrapped().range(from, to), pending, key -> SeriesId.fromBytes(key).bits(),
                id -> SeriesId.of(id).toBytes(), UNSIGNED);
    }

    @Override
    public KeyValueIterator<byte[], ValueAndTimestamp<V>> all() {
        return range(null, null);
    }

    @Override
    public KeyValueIterator<byte[], ValueAndTimestamp<V>> reverseRange(byte[] from, byte[] to) {
        throw new UnsupportedOperationException("reverseRange is not offered by the all-time store; use range");
    }

    @Override
    public KeyValueIterator<byte[], ValueAndTimestamp<V>> reverseAll() {
        throw new UnsupportedOperationException("reverseAll is not offered by the all-time store; use all");
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P>
            KeyValueIterator<byte[], ValueAndTimestamp<V>> prefixScan(P prefix, PS prefixKeySerializer) {
        throw new UnsupportedOperationException("prefixScan is not offered by the all-time store; use range");
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + cache.pendingCount();
    }
}
