package io.rollcall.store;

import io.rollcall.aggregate.Aggregate;
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
 * The all-time store: aggregates as objects in front of Streams' timestamped RocksDB store.
 * Point reads and key ranges see pending values; {@code reverseRange}, {@code reverseAll}
 * and {@code prefixScan} are not offered. Aggregates are never deleted.
 */
public final class CachedKeyValueStore
        extends ObjectCachingStore<TimestampedKeyValueStore<byte[], Aggregate>, Long>
        implements TimestampedKeyValueStore<byte[], Aggregate> {

    private static final Comparator<Long> UNSIGNED = Long::compareUnsigned;

    private CacheFlushListener<byte[], Aggregate> listener;

    CachedKeyValueStore(TimestampedKeyValueStore<byte[], Aggregate> inner, int capacity) {
        super(inner, UNSIGNED, capacity);
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<byte[], Aggregate> flushListener, boolean sendOldValues) {
        this.listener = flushListener;
        return true;
    }

    @Override
    void write(Long id, ValueAndTimestamp<Aggregate> value) {
        byte[] key = SeriesId.of(id).toBytes();
        wrapped().put(key, value);
        if (listener != null) {
            listener.apply(new Record<>(key, new Change<>(value.value(), null), value.timestamp()));
        }
    }

    @Override
    public ValueAndTimestamp<Aggregate> get(byte[] key) {
        return read(SeriesId.fromBytes(key).bits(), () -> wrapped().get(key));
    }

    @Override
    public void put(byte[] key, ValueAndTimestamp<Aggregate> value) {
        pend(SeriesId.fromBytes(key).bits(), value);
    }

    @Override
    public ValueAndTimestamp<Aggregate> putIfAbsent(byte[] key, ValueAndTimestamp<Aggregate> value) {
        ValueAndTimestamp<Aggregate> existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<byte[], ValueAndTimestamp<Aggregate>>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public ValueAndTimestamp<Aggregate> delete(byte[] key) {
        throw new UnsupportedOperationException("aggregates are never deleted");
    }

    @Override
    public KeyValueIterator<byte[], ValueAndTimestamp<Aggregate>> range(byte[] from, byte[] to) {
        // The snapshot of pending values first, then the store's iterator: a value flushed in
        // between is then in both (same value), never in neither.
        var pending = cache.pendingBetween(from == null ? null : SeriesId.fromBytes(from).bits(),
                to == null ? null : SeriesId.fromBytes(to).bits());
        return new MergedIterator<>(wrapped().range(from, to), pending, key -> SeriesId.fromBytes(key).bits(),
                id -> SeriesId.of(id).toBytes(), UNSIGNED);
    }

    @Override
    public KeyValueIterator<byte[], ValueAndTimestamp<Aggregate>> all() {
        return range(null, null);
    }

    @Override
    public KeyValueIterator<byte[], ValueAndTimestamp<Aggregate>> reverseRange(byte[] from, byte[] to) {
        throw new UnsupportedOperationException("reverseRange is not offered by the all-time store; use range");
    }

    @Override
    public KeyValueIterator<byte[], ValueAndTimestamp<Aggregate>> reverseAll() {
        throw new UnsupportedOperationException("reverseAll is not offered by the all-time store; use all");
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P>
            KeyValueIterator<byte[], ValueAndTimestamp<Aggregate>> prefixScan(P prefix, PS prefixKeySerializer) {
        throw new UnsupportedOperationException("prefixScan is not offered by the all-time store; use range");
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + cache.pendingCount();
    }
}
