package io.rollcall.store;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.internals.TimestampedKeyValueStoreBuilder;

/**
 * Builders of the aggregate stores. The all-time store's extends Streams' own timestamped
 * builder so that Streams configures the changelog as for any such store (compacted);
 * Streams' byte cache stays off underneath.
 */
public final class CachedStores {

    private CachedStores() {
    }

    /**
     * Values per series id, kept as objects between commits.
     *
     * @param capacity values kept as objects per task: at most this many pending (more are
     *                 flushed early) and as many recently used
     */
    public static <V> StoreBuilder<TimestampedKeyValueStore<byte[], V>> allTime(String name, Serde<V> serde,
                                                                             int capacity) {
        return new TimestampedKeyValueStoreBuilder<>(Stores.persistentTimestampedKeyValueStore(name),
                Serdes.ByteArray(), serde, Time.SYSTEM) {
            @Override
            public TimestampedKeyValueStore<byte[], V> build() {
                return new CachedKeyValueStore<>(super.build(), capacity);
            }
        };
    }

    /**
     * A store of tumbling windows of {@code size}, kept for {@code retention}, written
     * through: a window is written when its series moves on to a later one, about once per
     * series and window, so there is nothing for a cache to save.
     */
    public static <V> StoreBuilder<TimestampedWindowStore<byte[], V>> windowed(String name, Duration retention,
                                                                            Duration size, Serde<V> serde) {
        return Stores.timestampedWindowStoreBuilder(Stores.persistentTimestampedWindowStore(name, retention, size,
                false), Serdes.ByteArray(), serde).withCachingDisabled();
    }
}
