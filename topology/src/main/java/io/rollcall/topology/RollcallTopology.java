package io.rollcall.topology;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.config.RollcallConfig;
import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.schema.AvroSerde;
import io.rollcall.store.CachedStores;
import io.rollcall.rollout.JudgeState;
import io.rollcall.rollout.RolloutJudge;
import io.rollcall.rollout.RolloutSampler;
import io.rollcall.rollout.RolloutSerdes;
import io.rollcall.rollout.Sampled;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.config.RollcallSettings;
import io.rollcall.schema.registry.ConfluentFramed;
import io.rollcall.schema.registry.RegistryDecoder;
import io.rollcall.schema.registry.ValueDecoder;
import io.rollcall.schema.registry.WriterSchemas;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregation topology, a pure function of its configuration: no clients, no clock,
 * no I/O (the schema registry, when there is one, is handed in), so the same code runs in
 * production and in {@code TopologyTestDriver}.
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
        return build(config, eventPartitions, Optional.empty());
    }

    /** Without a registry for the processors' meters (tests, tools). */
    public static Topology build(RollcallConfig config, int eventPartitions, Optional<Registry> registry) {
        return build(config, eventPartitions, registry, PipelineMetrics.unregistered());
    }

    /**
     * What the topology needs of a schema registry: where writer schemas of Confluent-framed
     * events come from, and the ids its output schemas were registered under for the topics
     * {@code rollcall.registry.publish} names.
     */
    public record Registry(WriterSchemas schemas, OptionalInt aggregatesSchemaId, OptionalInt verdictsSchemaId) {
    }

    /**
     * @param registry the schema registry; empty without one (Confluent-framed events are then
     *                 dead-lettered)
     * @param metrics  where the processors count what they do
     */
    public static Topology build(RollcallConfig config, int eventPartitions, Optional<Registry> registry,
                                 PipelineMetrics metrics) {
        if (eventPartitions <= 0) {
            throw new IllegalArgumentException("eventPartitions must be positive, got " + eventPartitions);
        }
        if (registry.isPresent() != (config.registry() != null)) {
            throw new IllegalArgumentException("a registry is handed in exactly when " + RollcallSettings.REGISTRY_URL
                    + " is set");
        }
        OptionalInt aggregatesId = registry.map(Registry::aggregatesSchemaId).orElse(OptionalInt.empty());
        OptionalInt verdictsId = registry.map(Registry::verdictsSchemaId).orElse(OptionalInt.empty());
        if (registry.isPresent() && (config.registry().publishesAggregates() != aggregatesId.isPresent()
                || config.registry().publishesVerdicts() != verdictsId.isPresent())) {
            throw new IllegalArgumentException("a schema id is handed in exactly for each topic "
                    + RollcallSettings.REGISTRY_PUBLISH + " names");
        }
        AvroSerde<MetricEvent> eventSerde = AvroSerde.metricEvent();
        ValueDecoder<MetricEvent> eventDecoder = new ValueDecoder<>(eventSerde,
                registry.map(r -> new RegistryDecoder<>(MetricEvent.class, MetricEvent.getClassSchema(), r.schemas(),
                        config.registry().maxSchemas(), config.registry().unknownTtl())),
                RollcallSettings.REGISTRY_URL);
        Serde<Aggregate> storeSerde = AggregateCodec.storeSerde();
        Serde<byte[]> keySerde = Serdes.ByteArray();
        StreamsBuilder builder = new StreamsBuilder();

        KStream<byte[], Validated> checked = builder
                .stream(config.eventsTopic(), Consumed.with(keySerde, Serdes.ByteArray()).withName("events"))
                .processValues(() -> new EventValidator(eventPartitions, config.maxEventBytes(),
                        config.maxLabels(), config.maxFuture(), eventDecoder, metrics), Named.as("validate"));

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
        KStream<byte[], MetricEvent> misplaced = routes.get("route-misplaced")
                .mapValues(value -> ((Validated.Valid) value).event(), Named.as("misplaced-event"));
        KStream<byte[], MetricEvent> rerouted = misplaced
                .repartition(Repartitioned.with(keySerde, eventSerde)
                        .withName("single-writer")
                        .withNumberOfPartitions(eventPartitions));

        KStream<byte[], MetricEvent> owned = placed.merge(rerouted, Named.as("owned-events"));
        int capacity = config.storage().cachedAggregates();
        // One encoding per flushed aggregate serves both the store and the topic.
        Serde<Aggregate> shared = AggregateCodec.sharedSerde();
        builder.addStateStore(CachedStores.allTime(StoreNames.ALL_TIME, AggregateCodec.stateSerde(shared), capacity));
        builder.addStateStore(CachedStores.windowed(StoreNames.WINDOWED, config.windowRetention(),
                config.windowSize(), storeSerde));
        owned.process(() -> new SeriesAggregator(config.windowSize(), config.windowGrace(), metrics),
                        Named.as("aggregate"), StoreNames.ALL_TIME, StoreNames.WINDOWED)
                .to(config.aggregatesTopic(), Produced.with(keySerde, published(shared, aggregatesId)).withName("aggregates"));

        addRolloutJudge(builder, config, eventPartitions, placed.merge(misplaced, Named.as("valid-events")), verdictsId,
                metrics);
        return builder.build();
    }

    /**
     * Rollouts: specs in a global store (every task sees every spec); events of services under
     * rollout re-keyed by service as samples, so one task judges each rollout; verdicts out.
     *
     * <pre>
     * rollouts ─▶ global store rollout-specs
     * valid events ─▶ sampler ─▶ repartition by service ─▶ judge (rollout-judges, rollout-verdicts) ─▶ rollout-verdicts
     *                     └─ progress, to every partition ─┘      (rollout-progress)
     * </pre>
     */
    private static void addRolloutJudge(StreamsBuilder builder, RollcallConfig config, int partitions,
                                        KStream<byte[], MetricEvent> events, OptionalInt verdictsSchemaId,
                                        PipelineMetrics metrics) {
        RollcallConfig.Rollouts rollouts = config.rollouts();
        Serde<RolloutSpec> specSerde = RolloutSerdes.lenientSpec();
        Serde<RolloutVerdict> verdictSerde = AvroSerde.rolloutVerdict();
        builder.globalTable(rollouts.specsTopic(),
                Consumed.with(Serdes.String(), specSerde).withName("rollout-specs-source"),
                Materialized.<String, RolloutSpec>as(Stores.inMemoryKeyValueStore(StoreNames.ROLLOUT_SPECS))
                        .withKeySerde(Serdes.String())
                        .withValueSerde(specSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ROLLOUT_JUDGES),
                Serdes.String(), JudgeState.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ROLLOUT_VERDICTS),
                Serdes.Bytes(), verdictSerde));
        // One entry per partition of the events topic: in memory, cached to one changelog write per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.ROLLOUT_PROGRESS),
                Serdes.Integer(), Serdes.Long()).withCachingEnabled());
        events.process(() -> new RolloutSampler(StoreNames.ROLLOUT_SPECS, rollouts.tick(), rollouts.idle(),
                                rollouts.grace()),
                        Named.as("rollout-sampler"))
                .repartition(Repartitioned.with(Serdes.String(), Sampled.serde())
                        .withName("rollout-samples")
                        .withNumberOfPartitions(partitions)
                        .withStreamPartitioner(Sampled.partitioner()))
                .process(() -> new RolloutJudge(StoreNames.ROLLOUT_SPECS, StoreNames.ROLLOUT_JUDGES,
                                StoreNames.ROLLOUT_VERDICTS, StoreNames.ROLLOUT_PROGRESS, partitions, rollouts.grace(),
                                rollouts.tick(), rollouts.history(), metrics),
                        Named.as("rollout-judge"), StoreNames.ROLLOUT_JUDGES, StoreNames.ROLLOUT_VERDICTS,
                        StoreNames.ROLLOUT_PROGRESS)
                .to(rollouts.verdictsTopic(), Produced.with(Serdes.String(), published(verdictSerde, verdictsSchemaId))
                        .withName("verdicts"));
    }

    /**
     * The serde an output topic is written with: {@code singleObject} itself, or with a schema
     * id, the same records in the Confluent wire format (the body behind magic byte 0 and the id).
     */
    private static <T> Serde<T> published(Serde<T> singleObject, OptionalInt schemaId) {
        if (schemaId.isEmpty()) {
            return singleObject;
        }
        int id = schemaId.getAsInt();
        Serializer<T> single = singleObject.serializer();
        Serializer<T> confluent = (topic, value) -> {
            byte[] bytes = single.serialize(topic, value);
            return bytes == null ? null : ConfluentFramed.fromSingleObject(id, bytes);
        };
        return Serdes.serdeFrom(confluent, singleObject.deserializer());
    }
}
