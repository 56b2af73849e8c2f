package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.Fnv1aPartitioner;
import io.rollcall.load.LoadGenerator;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.KeyPartitioner;
import io.rollcall.topology.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same series produced through Kafka's murmur2 partitioner and through sarama's FNV-1a
 * partitioner land on different partitions, yet each series is aggregated by exactly one
 * task: one aggregate per id, holding the events of both producers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleWriterIT {

    private static final int PARTITIONS = 6;
    private static final int SERIES = 600;
    private static final int EVENTS_PER_PRODUCER = 10;

    private final List<Long> ids = new ArrayList<>();
    private RollcallConfig config;
    private RollcallApp app;

    @BeforeAll
    void produceThroughBothPartitioners() throws Exception {
        config = Fixtures.uniqueConfig("single-writer");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), PARTITIONS),
                compacted(config.aggregatesTopic(), PARTITIONS), topic(config.deadLetterTopic(), PARTITIONS)));
        for (int i = 0; i < SERIES; i++) {
            ids.add(Long.MIN_VALUE + 7919L * i * 1_000_003L);
        }
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        produce(config, ids, false, 1.0);
        produce(config, ids, true, 2.0);
        Fixtures.awaitCommitted(config, 2L * SERIES * EVENTS_PER_PRODUCER, Duration.ofMinutes(2));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void mostSeriesLandOnAnotherPartitionUnderFnv1aThanUnderMurmur2() {
        long misplaced = ids.stream().filter(id -> {
            byte[] key = SeriesId.of(id).toBytes();
            return Fnv1aPartitioner.partitionFor(key, PARTITIONS) != KeyPartitioner.partition(key, PARTITIONS);
        }).count();
        assertThat(misplaced).as("series the FNV-1a producer puts on a foreign partition").isGreaterThan(SERIES / 2);
    }

    @Test
    void eachSeriesIsHeldByOneTaskWithTheEventsOfBothProducers() {
        Map<Long, List<Aggregate>> stored = storedAcrossAllPartitions(app);
        assertThat(stored).hasSize(SERIES);
        assertSoftly(softly -> ids.forEach(id -> {
            List<Aggregate> copies = stored.get(id);
            softly.assertThat(copies).as("aggregates of %s", SeriesId.of(id)).hasSize(1);
            softly.assertThat(copies.get(0).count()).isEqualTo(2 * EVENTS_PER_PRODUCER);
            softly.assertThat(copies.get(0).sum()).isEqualTo(EVENTS_PER_PRODUCER * (1.0 + 2.0));
        }));
    }

    @Test
    void aggregatesArePublishedFromTheSeriesOwnPartition() {
        assertThat(Fixtures.readAll(config, config.aggregatesTopic())).isNotEmpty().allSatisfy(record ->
                assertThat(record.partition()).as("partition of %s", SeriesId.fromBytes(record.key()))
                        .isEqualTo(KeyPartitioner.partition(record.key(), PARTITIONS)));
    }

    @Test
    void thePublishedAggregateOfEachSeriesCountsTheEventsOfBothProducers() {
        Map<Long, Aggregate> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Fixtures.readAll(config, config.aggregatesTopic())) {
            latest.put(SeriesId.fromBytes(record.key()).bits(),
                    AggregateCodec.serde().deserializer().deserialize(record.topic(), record.value()));
        }
        assertSoftly(softly -> ids.forEach(id -> softly.assertThat(latest.get(id).count())
                .as("published count of %s", SeriesId.of(id)).isEqualTo(2 * EVENTS_PER_PRODUCER)));
    }

    private static void produce(RollcallConfig config, List<Long> ids, boolean fnv, double value) {
        Properties props = LoadGenerator.producerProperties(config.kafkaProperties());
        if (fnv) {
            props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, Fnv1aPartitioner.class.getName());
        }
        AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < EVENTS_PER_PRODUCER; i++) {
                for (long id : ids) {
                    MetricEvent event = MetricEvent.newBuilder().setId(id).setName("queue.depth")
                            .setTimestamp(Instant.now()).setType(MetricType.COUNTER).setValue(value)
                            .setLabels(Map.of("producer", fnv ? "sarama" : "java")).build();
                    producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(id).toBytes(),
                            serde.serialize(event)));
                }
            }
            producer.flush();
        }
    }

    /** Every aggregate in every partition's all-time store, by id; a series held twice shows up twice. */
    private static Map<Long, List<Aggregate>> storedAcrossAllPartitions(RollcallApp app) {
        StateQueryResult<KeyValueIterator<byte[], SeriesState>> result = app.streams().query(
                StateQueryRequest.inStore(StoreNames.ALL_TIME).withQuery(RangeQuery.<byte[], SeriesState>withNoBounds()));
        Map<Long, List<Aggregate>> out = new HashMap<>();
        assertThat(result.getPartitionResults()).hasSize(PARTITIONS);
        for (QueryResult<KeyValueIterator<byte[], SeriesState>> partition : result.getPartitionResults().values()) {
            assertThat(partition.isSuccess()).as(partition.toString()).isTrue();
            try (KeyValueIterator<byte[], SeriesState> it = partition.getResult()) {
                it.forEachRemaining(kv -> out.computeIfAbsent(SeriesId.fromBytes(kv.key).bits(),
                        id -> new ArrayList<>()).add(kv.value.allTime()));
            }
        }
        return out;
    }
}
