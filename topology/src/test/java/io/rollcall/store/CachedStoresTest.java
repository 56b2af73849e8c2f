package io.rollcall.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

/**
 * The object-caching all-time store over an in-memory store: what is pending is read back,
 * forwarded once per key with its newest value when flushed, merged into range reads in
 * unsigned key order, flushed early once more keys are pending than the capacity, and read
 * from the store underneath once evicted, by the writer and by any other thread.
 */
class CachedStoresTest {

    private static ValueAndTimestamp<Aggregate> aggregate(long id, double... values) {
        Aggregate aggregate = Aggregate.empty();
        long time = 1_000;
        for (double value : values) {
            aggregate = aggregate.add(MetricEvent.newBuilder().setId(id).setName("g").setType(MetricType.GAUGE)
                    .setTimestamp(Instant.ofEpochMilli(time++)).setValue(value).setLabels(Map.of()).build());
        }
        return ValueAndTimestamp.make(aggregate, time);
    }

    private static CachedKeyValueStore<Aggregate> allTime(int capacity, List<KeyValue<byte[], Aggregate>> forwarded) {
        TimestampedKeyValueStore<byte[], Aggregate> inner = Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("all-time"), Serdes.ByteArray(), AggregateCodec.storeSerde())
                .withLoggingDisabled().build();
        CachedKeyValueStore<Aggregate> store = new CachedKeyValueStore<>(inner, capacity);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        store.setFlushListener(record -> forwarded.add(KeyValue.pair(record.key(), record.value().newValue)), false);
        return store;
    }

    private static List<Long> ids(KeyValueIterator<byte[], ValueAndTimestamp<Aggregate>> it) {
        List<Long> ids = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> ids.add(SeriesId.fromBytes(kv.key).bits()));
        }
        return ids;
    }

    @Test
    void pendingValuesAreReadBackAndForwardedOnceWithTheNewestValueWhenFlushed() {
        List<KeyValue<byte[], Aggregate>> forwarded = new ArrayList<>();
        CachedKeyValueStore<Aggregate> store = allTime(100, forwarded);
        byte[] key = SeriesId.of(7).toBytes();
        store.put(key, aggregate(7, 1));
        store.put(key, aggregate(7, 1, 2));
        store.put(key, aggregate(7, 1, 2, 3));

        assertThat(store.get(key).value().count()).isEqualTo(3);
        assertThat(store.wrapped().get(key)).as("nothing written underneath before the flush").isNull();
        assertThat(forwarded).isEmpty();

        store.flushCache();
        assertThat(store.wrapped().get(key).value().count()).isEqualTo(3);
        assertThat(forwarded).hasSize(1);
        assertThat(forwarded.get(0).value.sum()).isEqualTo(6.0);
        assertThat(store.get(key).value().count()).isEqualTo(3);

        store.flushCache();
        assertThat(forwarded).as("nothing pending, nothing forwarded").hasSize(1);
    }

    @Test
    void rangesMergePendingAndFlushedValuesInUnsignedOrderWithPendingWinning() {
        CachedKeyValueStore<Aggregate> store = allTime(100, new ArrayList<>());
        long high = -1L;               // 2^64 - 1
        long middle = Long.MIN_VALUE;  // 2^63
        store.put(SeriesId.of(5).toBytes(), aggregate(5, 1));
        store.put(SeriesId.of(middle).toBytes(), aggregate(middle, 1));
        store.flushCache();
        store.put(SeriesId.of(high).toBytes(), aggregate(high, 1));
        store.put(SeriesId.of(5).toBytes(), aggregate(5, 1, 1));
        store.put(SeriesId.of(3).toBytes(), aggregate(3, 1));

        assertThat(ids(store.all())).containsExactly(3L, 5L, middle, high);
        assertThat(ids(store.range(SeriesId.of(4).toBytes(), SeriesId.of(middle).toBytes()))).containsExactly(5L, middle);
        try (var it = store.range(SeriesId.of(5).toBytes(), SeriesId.of(5).toBytes())) {
            assertThat(it.next().value.value().count()).as("the pending value, not the flushed one").isEqualTo(2);
            assertThat(it.hasNext()).isFalse();
        }
    }

    @Test
    void moreKeysPendingThanTheCapacityAreFlushedBeforeTheCommit() {
        List<KeyValue<byte[], Aggregate>> forwarded = new ArrayList<>();
        CachedKeyValueStore<Aggregate> store = allTime(3, forwarded);
        for (long id = 1; id <= 4; id++) {
            store.put(SeriesId.of(id).toBytes(), aggregate(id, id));
        }
        assertThat(forwarded).extracting(kv -> SeriesId.fromBytes(kv.key).bits()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.wrapped().get(SeriesId.of(4).toBytes())).isNotNull();
    }

    @Test
    void valuesEvictedFromTheCacheAreReadFromTheStoreUnderneath() {
        CachedKeyValueStore<Aggregate> store = allTime(4, new ArrayList<>());
        for (long id = 1; id <= 40; id++) {
            store.put(SeriesId.of(id).toBytes(), aggregate(id, id, id));
            store.flushCache();
        }
        for (long id = 1; id <= 40; id++) {
            assertThat(store.get(SeriesId.of(id).toBytes()).value().sum()).as("sum of %d", id).isEqualTo(2.0 * id);
        }
    }

    @Test
    void anotherThreadReadsEveryWrittenKeyWhileTheWriterFlushesAndEvicts() throws Exception {
        CachedKeyValueStore<Aggregate> store = allTime(8, new ArrayList<>());
        AtomicLong written = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<Long> misses = CompletableFuture.supplyAsync(() -> {
            long missed = 0;
            while (!done.get()) {
                reading.countDown();
                long upTo = written.get();
                for (long id = 1; id <= upTo; id++) {
                    missed += store.get(SeriesId.of(id).toBytes()) == null ? 1 : 0;
                }
            }
            return missed;
        });
        // The writer starts once the reader is reading, so their work overlaps.
        assertThat(reading.await(30, TimeUnit.SECONDS)).as("the reader started").isTrue();
        for (int round = 0; round < 200; round++) {
            for (long id = 1; id <= 64; id++) {
                store.put(SeriesId.of(id).toBytes(), aggregate(id, round));
                written.accumulateAndGet(id, Math::max);
                if (id % 5 == 0) {
                    store.flushCache();
                }
            }
        }
        done.set(true);
        assertThat(misses.get()).as("reads that found no value for a key already written").isZero();
    }
}
