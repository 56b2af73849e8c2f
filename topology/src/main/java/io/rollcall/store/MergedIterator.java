package io.rollcall.store;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Merges a sorted iterator of the store underneath with a sorted snapshot of pending values;
 * on equal keys the pending value wins. Both are ascending in {@code order}.
 *
 * @param <S> key type of the store's iterator
 * @param <C> key type of the cache
 */
final class MergedIterator<S, C, V> implements KeyValueIterator<S, V> {

    private final KeyValueIterator<S, V> store;
    private final Iterator<Map.Entry<C, V>> cached;
    private final Function<S, C> toCacheKey;
    private final Function<C, S> toStoreKey;
    private final Comparator<C> order;
    private Map.Entry<C, V> nextCached;

    MergedIterator(KeyValueIterator<S, V> store, NavigableMap<C, V> cached, Function<S, C> toCacheKey,
                   Function<C, S> toStoreKey, Comparator<C> order) {
        this.store = store;
        this.cached = cached.entrySet().iterator();
        this.toCacheKey = toCacheKey;
        this.toStoreKey = toStoreKey;
        this.order = order;
        this.nextCached = this.cached.hasNext() ? this.cached.next() : null;
    }

    @Override
    public boolean hasNext() {
        return nextCached != null || store.hasNext();
    }

    @Override
    public KeyValue<S, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (nextCached == null) {
            return store.next();
        }
        if (store.hasNext()) {
            int cmp = order.compare(toCacheKey.apply(store.peekNextKey()), nextCached.getKey());
            if (cmp < 0) {
                return store.next();
            }
            if (cmp == 0) {
                store.next();
            }
        }
        KeyValue<S, V> result = KeyValue.pair(toStoreKey.apply(nextCached.getKey()), nextCached.getValue());
        nextCached = cached.hasNext() ? cached.next() : null;
        return result;
    }

    @Override
    public S peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (nextCached == null) {
            return store.peekNextKey();
        }
        if (store.hasNext() && order.compare(toCacheKey.apply(store.peekNextKey()), nextCached.getKey()) < 0) {
            return store.peekNextKey();
        }
        return toStoreKey.apply(nextCached.getKey());
    }

    @Override
    public void close() {
        store.close();
    }
}
