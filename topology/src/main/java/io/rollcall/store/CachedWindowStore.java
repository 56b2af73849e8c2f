package io.rollcall.store;

import io.rollcall.aggregate.Aggregate;
import java.util.Comparator;
import java.util.NavigableMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The window store: per-window aggregates as objects in front of Streams' timestamped
 * RocksDB window store. Reads of one series ({@code fetch(key, time)} and
 * {@code fetch(key, from, to)}) see pending values; reads across series ({@code all},
 * {@code fetchAll}, key ranges) and backward reads see the store as of the last commit.
 */
public final class CachedWindowStore
        extends WrappedStateStore<TimestampedWindowStore<byte[], Aggregate>, byte[], Aggregate>
        implements TimestampedWindowStore<byte[], Aggregate> {

    /** A window of a series: unsigned id order, then start time. */
    record WindowKey(long id, long start) {
    }

    private static final Comparator<WindowKey> ORDER = (a, b) -> {
        int byId = Long.compareUnsigned(a.id(), b.id());
        return byId != 0 ? byId : Long.compare(a.start(), b.start());
    };

    private final ObjectCache<WindowKey, Aggregate> cache;
    private InternalProcessorContext<?, ?> context;

    CachedWindowStore(TimestampedWindowStore<byte[], Aggregate> inner, int capacity) {
        super(inner);
        this.cache = new ObjectCache<>(ORDER, capacity);
    }

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        context = stateStoreContext instanceof InternalProcessorContext<?, ?> internal ? internal : null;
        cache.clear();
        super.init(stateStoreContext, root);
    }

    /** Streams calls this before every commit: write and log what is pending. */
    @Override
    public void flushCache() {
        flushPending();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        cache.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        cache.clear();
        super.close();
    }

    @Override
    public void put(byte[] key, ValueAndTimestamp<Aggregate> value, long windowStartTimestamp) {
        if (value == null) {
            throw new UnsupportedOperationException("window aggregates are never deleted; they expire");
        }
        ProcessorRecordContext recordContext = context == null ? null : context.recordContext();
        if (cache.put(new WindowKey(Keys.id(key), windowStartTimestamp), value, recordContext)) {
            flushPending();
        }
    }

    @Override
    public ValueAndTimestamp<Aggregate> fetch(byte[] key, long windowStart) {
        WindowKey window = new WindowKey(Keys.id(key), windowStart);
        ValueAndTimestamp<Aggregate> value = cache.get(window);
        if (value == null) {
            value = wrapped().fetch(key, windowStart);
            if (value != null) {
                cache.remember(window, value);
            }
        }
        return value;
    }

    @Override
    public WindowStoreIterator<ValueAndTimestamp<Aggregate>> fetch(byte[] key, long timeFrom, long timeTo) {
        long id = Keys.id(key);
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

    private void flushPending() {
        if (cache.pendingCount() == 0) {
            return;
        }
        ProcessorRecordContext previous = context == null ? null : context.recordContext();
        try {
            cache.flush((window, pending) -> {
                if (context != null && pending.context() != null) {
                    context.setRecordContext(pending.context());
                }
                wrapped().put(Keys.bytes(window.id()), pending.value(), window.start());
            });
        } finally {
            if (context != null) {
                context.setRecordContext(previous);
            }
        }
    }
}
