package io.rollcall.store;

import io.rollcall.aggregate.Aggregate;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.internals.TimestampedKeyValueStoreBuilder;
import org.apache.kafka.streams.state.internals.TimestampedWindowStoreBuilder;

/**
 * Builders of the object-caching stores. They extend Streams' own timestamped builders so
 * that Streams configures the changelogs as for any such store (compacted; the window
 * store's also deleted after its retention); Streams' byte cache stays off underneath.
 */
public final class CachedStores {

    private CachedStores() {
    }

    /**
     * @param capacity aggregates kept as objects per task: at most this many pending (more
     *                 are flushed early) and as many recently used
     */
    public static StoreBuilder<TimestampedKeyValueStore<byte[], Aggregate>> allTime(String name, Serde<Aggregate> serde,
                                                                                  int capacity) {
        return new TimestampedKeyValueStoreBuilder<>(Stores.persistentTimestampedKeyValueStore(name),
                Serdes.ByteArray(), serde, Time.SYSTEM) {
            @Override
            public TimestampedKeyValueStore<byte[], Aggregate> build() {
                return new CachedKeyValueStore(super.build(), capacity);
            }
        };
    }

    /** A store of tumbling windows of {@code size}, kept for {@code retention}; see {@link #allTime}. */
    public static StoreBuilder<TimestampedWindowStore<byte[], Aggregate>> windowed(String name, Duration retention,
                                                                                 Duration size,
                                                                                 Serde<Aggregate> serde,
                                                                                 int capacity) {
        return new TimestampedWindowStoreBuilder<>(Stores.persistentTimestampedWindowStore(name, retention, size, false),
                Serdes.ByteArray(), serde, Time.SYSTEM) {
            @Override
            public TimestampedWindowStore<byte[], Aggregate> build() {
                return new CachedWindowStore(super.build(), capacity);
            }
        };
    }
}
