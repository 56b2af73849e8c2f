package io.rollcall.query;

import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Where a keyed read is answered: here, by the owning instance, or by a standby. The real
 * one is {@link MetricQueries}; the query services see only this, so their tests need no cluster.
 */
interface Router {

    /** {@code local} answers from this instance's replica of a partition (standby when its second argument is true). */
    <K, T> Answer<T> route(String store, K key, Serializer<K> serializer, ReadOptions options, String path,
                           BiFunction<Integer, Boolean, Answer<T>> local);

    /** Who serves a local read of {@code store}'s {@code partition}. */
    Served served(String store, int partition, boolean standby);

    /** This instance's name, {@code host:port}. */
    String self();

    static Router of(MetricQueries queries) {
        return new Router() {
            @Override
            public <K, T> Answer<T> route(String store, K key, Serializer<K> serializer, ReadOptions options,
                                          String path, BiFunction<Integer, Boolean, Answer<T>> local) {
                return queries.route(store, key, serializer, options, path, local);
            }

            @Override
            public Served served(String store, int partition, boolean standby) {
                return queries.served(store, partition, standby);
            }

            @Override
            public String self() {
                return queries.self();
            }
        };
    }
}
