package io.rollcall.bench;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.app.StreamsSettings;
import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The same job as an idiomatic Kafka Streams DSL application writes it: decode each event,
 * {@code groupByKey().aggregate(...)} into an all-time table sent on to the aggregates topic,
 * and a windowed {@code aggregate} beside it, both through Streams' own record cache
 * ({@code statestore.cache.max.bytes} at its default). No validation, no dead letters, no
 * rollout judging: what rollcall adds is left out, what it saves is not. Run with rollcall's
 * production settings ({@link StreamsSettings#of}: exactly-once v2, threads, RocksDB tuning).
 */
final class DslPipeline implements AutoCloseable {

    static final String ALL_TIME = "dsl-all-time";
    static final String WINDOWED = "dsl-windowed";

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);

    private DslPipeline(RollcallConfig config) {
        this.streams = new KafkaStreams(topology(config), StreamsSettings.of(config));
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
    }

    /** Starts the application on {@code config}'s topics, application id and state directory. */
    static DslPipeline start(RollcallConfig config) {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.prepare(admin, config);
        }
        DslPipeline pipeline = new DslPipeline(config);
        pipeline.streams.start();
        return pipeline;
    }

    static Topology topology(RollcallConfig config) {
        AvroSerde<MetricEvent> events = AvroSerde.metricEvent();
        Serde<Aggregate> stored = AggregateCodec.storeSerde();
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<Long, MetricEvent> bySeries = builder
                .stream(config.eventsTopic(), Consumed.with(Serdes.Long(), Serdes.ByteArray()))
                .mapValues(events::deserialize)
                .groupByKey(Grouped.with(Serdes.Long(), events));
        bySeries.aggregate(Aggregate::empty, (id, event, aggregate) -> aggregate.add(event),
                        Materialized.<Long, Aggregate, KeyValueStore<Bytes, byte[]>>as(ALL_TIME)
                                .withKeySerde(Serdes.Long())
                                .withValueSerde(stored))
                .toStream()
                .to(config.aggregatesTopic(), Produced.with(Serdes.Long(), AggregateCodec.serde()));
        bySeries.windowedBy(TimeWindows.ofSizeAndGrace(config.windowSize(), config.windowGrace()))
                .aggregate(Aggregate::empty, (id, event, aggregate) -> aggregate.add(event),
                        Materialized.<Long, Aggregate, WindowStore<Bytes, byte[]>>as(WINDOWED)
                                .withKeySerde(Serdes.Long())
                                .withValueSerde(stored)
                                .withRetention(config.windowRetention()));
        return builder.build();
    }

    void awaitRunning(Duration timeout) throws InterruptedException {
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the DSL application did not reach RUNNING within " + timeout.toMinutes()
                    + " minutes (state " + streams.state() + ")");
        }
    }

    /** Every series' all-time aggregate, read through an interactive query once the store is open. */
    Map<Long, Aggregate> allTime() throws InterruptedException {
        return StoreReads.once(() -> {
            ReadOnlyKeyValueStore<Long, Aggregate> store = streams.store(StoreQueryParameters.fromNameAndType(
                    ALL_TIME, QueryableStoreTypes.<Long, Aggregate>keyValueStore()));
            Map<Long, Aggregate> out = new HashMap<>();
            try (KeyValueIterator<Long, Aggregate> all = store.all()) {
                all.forEachRemaining(kv -> out.put(kv.key, kv.value));
            }
            return out;
        });
    }

    /** Closes the application and deletes its state directory. */
    @Override
    public void close() {
        streams.close(Duration.ofMinutes(1));
        streams.cleanUp();
    }
}
