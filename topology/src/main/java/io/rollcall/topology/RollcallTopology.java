package io.rollcall.topology;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregation topology, a pure function of its configuration: no clients, no clock,
 * no I/O, so the same code runs in production and in {@code TopologyTestDriver}.
 *
 * <pre>
 * metric-events ─▶ validate ─┬─ invalid ───────────────────────────▶ metric-events-dlq
 *                            ├─ on its murmur2 partition ─┐
 *                            └─ elsewhere ─▶ repartition ─┴─▶ aggregate ─┬▶ all-time store ─▶ metric-aggregates
 *                                                                        └▶ windowed store
 * </pre>
 *
 * Keys stay the raw 8 bytes throughout: the topology never changes a key, so Streams
 * inserts no repartition of its own, and only misplaced records pay for the extra hop.
 */
public final class RollcallTopology {

    private RollcallTopology() {
    }

    /**
     * @param eventPartitions partition count of the events topic, read from the cluster at
     *                        start-up; the single-writer check depends on it
     */
    public static Topology build(RollcallConfig config, int eventPartitions) {
        if (eventPartitions <= 0) {
            throw new IllegalArgumentException("eventPartitions must be positive, got " + eventPartitions);
        }
        AvroSerde<MetricEvent> eventSerde = AvroSerde.metricEvent();
        Serde<Aggregate> storeSerde = AggregateCodec.storeSerde();
        Serde<Aggregate> topicSerde = AggregateCodec.serde();
        Serde<byte[]> keySerde = Serdes.ByteArray();
        StreamsBuilder builder = new StreamsBuilder();

        KStream<byte[], Validated> checked = builder
                .stream(config.eventsTopic(), Consumed.with(keySerde, Serdes.ByteArray()).withName("events"))
                .processValues(() -> new EventValidator(eventPartitions, config.maxEventBytes(),
                        config.maxLabels(), eventSerde), Named.as("validate"));

        Map<String, KStream<byte[], Validated>> routes = checked.split(Named.as("route-"))
                .branch((key, value) -> value instanceof Validated.Invalid, Branched.as("invalid"))
                .branch((key, value) -> ((Validated.Valid) value).placed(), Branched.as("placed"))
                .defaultBranch(Branched.as("misplaced"));

        routes.get("route-invalid")
                .mapValues(value -> ((Validated.Invalid) value).rawValue(), Named.as("raw-value"))
                .to(config.deadLetterTopic(),
                        Produced.with(keySerde, Serdes.ByteArray()).withName("dead-letter"));

        KStream<byte[], MetricEvent> placed = routes.get("route-placed")
                .mapValues(value -> ((Validated.Valid) value).event(), Named.as("placed-event"));
        KStream<byte[], MetricEvent> rerouted = routes.get("route-misplaced")
                .mapValues(value -> ((Validated.Valid) value).event(), Named.as("misplaced-event"))
                .repartition(Repartitioned.with(keySerde, eventSerde)
                        .withName("single-writer")
                        .withNumberOfPartitions(eventPartitions));

        KGroupedStream<byte[], MetricEvent> bySeries = placed
                .merge(rerouted, Named.as("owned-events"))
                .groupByKey(Grouped.with("by-series", keySerde, eventSerde));

        bySeries.aggregate(Aggregate::empty, (key, event, aggregate) -> aggregate.add(event),
                        Named.as("aggregate-all-time"),
                        Materialized.<byte[], Aggregate>as(Stores.persistentTimestampedKeyValueStore(StoreNames.ALL_TIME))
                                .withKeySerde(keySerde)
                                .withValueSerde(storeSerde))
                .toStream(Named.as("all-time-changes"))
                .to(config.aggregatesTopic(), Produced.with(keySerde, topicSerde).withName("aggregates"));

        bySeries.windowedBy(TimeWindows.ofSizeAndGrace(config.windowSize(), config.windowGrace()))
                .aggregate(Aggregate::empty, (key, event, aggregate) -> aggregate.add(event),
                        Named.as("aggregate-windowed"),
                        Materialized.<byte[], Aggregate>as(Stores.persistentTimestampedWindowStore(
                                        StoreNames.WINDOWED, config.windowRetention(), config.windowSize(), false))
                                .withKeySerde(keySerde)
                                .withValueSerde(storeSerde));

        return builder.build();
    }
}
