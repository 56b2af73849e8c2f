package io.rollcall.store;

import java.util.Comparator;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * What both aggregate stores share: the {@link ObjectCache} in front of the wrapped Streams
 * store, its life cycle with the task, and the flush that writes each pending value with the
 * record context that produced it.
 *
 * @param <S> the wrapped Streams store
 * @param <K> the cache's key
 * @param <V> the stored values, immutable
 */
abstract class ObjectCachingStore<S extends StateStore, K, V> extends WrappedStateStore<S, byte[], V> {

    final ObjectCache<K, V> cache;
    private InternalProcessorContext<?, ?> context;

    ObjectCachingStore(S inner, Comparator<K> order, int capacity) {
        super(inner);
        this.cache = new ObjectCache<>(order, capacity);
    }

    /** Writes a pending value into the wrapped store (and forwards it, where the store does). */
    abstract void write(K key, ValueAndTimestamp<V> value);

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        context = stateStoreContext instanceof InternalProcessorContext<?, ?> internal ? internal : null;
        cache.clear();
        super.init(stateStoreContext, root);
    }

    /** Streams calls this before every commit: write, log (and forward) what is pending. */
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

    /** The cached value of {@code key}, else the stored one (remembered when read by the writer). */
    ValueAndTimestamp<V> read(K key, Supplier<ValueAndTimestamp<V>> stored) {
        ValueAndTimestamp<V> value = cache.get(key);
        if (value == null) {
            value = stored.get();
            if (value != null) {
                cache.remember(key, value);
            }
        }
        return value;
    }

    /** Records a new value; flushes early when more keys are pending than the capacity. */
    void pend(K key, ValueAndTimestamp<V> value) {
        if (value == null) {
            throw new UnsupportedOperationException("values are never deleted");
        }
        ProcessorRecordContext recordContext = context == null ? null : context.recordContext();
        if (cache.put(key, value, recordContext)) {
            flushPending();
        }
    }

    private void flushPending() {
        if (cache.pendingCount() == 0) {
            return;
        }
        ProcessorRecordContext previous = context == null ? null : context.recordContext();
        try {
            cache.flush((key, pending) -> {
                if (context != null && pending.context() != null) {
                    // Logging and forwarding read the record context, as when the record was processed.
                    context.setRecordContext(pending.context());
                }
                write(key, pending.value());
            });
        } finally {
            if (context != null) {
                context.setRecordContext(previous);
            }
        }
    }
}
