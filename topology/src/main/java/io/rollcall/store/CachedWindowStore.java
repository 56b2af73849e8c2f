package io.rollcall.store;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.SeriesId;
import java.util.Comparator;
import java.util.NavigableMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The window store: per-window aggregates as objects in front of Streams' timestamped
 * RocksDB window store. Reads of one series ({@code fetch(key, time)} and
 * {@code fetch(key, from, to)}) see pending values; reads across series ({@code all},
 * {@code fetchAll}, key ranges) and backward reads see the store as of the last commit.
 */
public final class CachedWindowStore
        extends ObjectCachingStore<TimestampedWindowStore<byte[], Aggregate>, CachedWindowStore.WindowKey>
        implements TimestampedWindowStore<byte[], Aggregate> {

    /** A window of a series: unsigned id order, then start time. */
    record WindowKey(long id, long start) {
    }

    private static final Comparator<WindowKey> ORDER = (a, b) -> {
        int byId = Long.compareUnsigned(a.id(), b.id());
        return byId != 0 ? byId : Long.compare(a.start(), b.start());
    };

    CachedWindowStore(TimestampedWindowStore<byte[], Aggregate> inner, int capacity) {
        super(inner, ORDER, capacity);
    }

    @Override
    void write(WindowKey window, ValueAndTimestamp<Aggregate> value) {
        wrapped().put(SeriesId.of(window.id()).toBytes(), value, window.start());
    }

    @Override
    public void put(byte[] key, ValueAndTimestamp<Aggregate> value, long windowStartTimestamp) {
        pend(new WindowKey(SeriesId.fromBytes(key).bits(), windowStartTimestamp), value);
    }

    @Override
    public ValueAndTimestamp<Aggregate> fetch(byte[] key, long windowStart) {
        return read(new WindowKey(SeriesId.fromBytes(key).bits(), windowStart),
                () -> wrapped().fetch(key, windowStart));
    }

    @Override
    public WindowStoreIterator<ValueAndTimestamp<Aggregate>> fetch(byte[] key, long timeFrom, long timeTo) {
        long id = SeriesId.fromBytes(key).bits();
        NavigableMap<WindowKey, ValueAndTimestamp<Aggregate>> pending =
                cache.pendingBetween(new WindowKey(id, timeFrom), new WindowKey(id, timeTo));
        MergedIterator<Long, WindowKey, ValueAndTimestamp<Aggregate>> merged = new MergedIterator<>(
                wrapped().fetch(key, timeFrom, timeTo), pending, start -> new WindowKey(id, start), WindowKey::start,
                ORDER);
        return new WindowStoreIterator<>() {
            @Override
            public void close() {
                merged.close();
            }

            @Override
            public Long peekNextKey() {
                return merged.peekNextKey();
            }

            @Override
            public boolean hasNext() {
                return merged.hasNext();
            }

            @Override
            public KeyValue<Long, ValueAndTimestamp<Aggregate>> next() {
                return merged.next();
            }
        };
    }

    @Override
    public WindowStoreIterator<ValueAndTimestamp<Aggregate>> backwardFetch(byte[] key, long timeFrom, long timeTo) {
        return wrapped().backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<byte[]>, ValueAndTimestamp<Aggregate>> fetch(byte[] keyFrom, byte[] keyTo,
                                                                                 long timeFrom, long timeTo) {
        return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<byte[]>, ValueAndTimestamp<Aggregate>> backwardFetch(
            byte[] keyFrom, byte[] keyTo, long timeFrom, long timeTo) {
        return wrapped().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<byte[]>, ValueAndTimestamp<Aggregate>> fetchAll(long timeFrom, long timeTo) {
        return wrapped().fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<byte[]>, ValueAndTimestamp<Aggregate>> backwardFetchAll(long timeFrom,
                                                                                            long timeTo) {
        return wrapped().backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<byte[]>, ValueAndTimestamp<Aggregate>> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Windowed<byte[]>, ValueAndTimestamp<Aggregate>> backwardAll() {
        return wrapped().backwardAll();
    }
}
