package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.aggregate.Aggregate;
import io.rollcall.query.Answer;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.topology.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Bad records interleaved with good ones on a real broker: the bad go to the dead-letter topic, the good are all counted, the app keeps running. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterIT {

    private static final AvroSerde<MetricEvent> SERDE = AvroSerde.metricEvent();
    private static final long GOOD_ID = Long.parseUnsignedLong("12345678901234567890");

    private final Map<String, ProducerRecord<byte[], byte[]>> bad = new LinkedHashMap<>();
    private final byte[] huge = new byte[5 << 20];
    private RollcallConfig config;
    private RollcallApp app;
    private int goodCount;
    private List<ConsumerRecord<byte[], byte[]>> dead;

    @BeforeAll
    void interleaveBadRecordsWithGoodOnes() throws Exception {
        config = Fixtures.uniqueConfig("dead-letter");
        eventsTopic = config.eventsTopic();
        // The input takes records up to 8 MiB; rollcall creates the dead-letter topic with the same limit.
        KafkaCluster.get().createTopics(List.of(
                topic(config.eventsTopic(), 3).configs(Map.of("max.message.bytes", Integer.toString(8 << 20))),
                compacted(config.aggregatesTopic(), 3)));
        byte[] goodKey = SeriesId.of(GOOD_ID).toBytes();
        byte[] good = SERDE.serialize(event(GOOD_ID, MetricType.TIMER, 10));
        addBadRecords(goodKey, good);

        java.util.Properties producerProps = LoadGenerator.producerProperties(config.kafkaProperties());
        producerProps.put("max.request.size", Integer.toString(8 << 20));
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            for (ProducerRecord<byte[], byte[]> record : bad.values()) {
                producer.send(record(goodKey, good));
                producer.send(record);
                goodCount++;
            }
            producer.send(record(goodKey, good));
            goodCount++;
        }
        Fixtures.awaitCommitted(config, goodCount + bad.size(), Duration.ofMinutes(1));
        dead = Fixtures.readAll(config, config.deadLetterTopic());
    }

    private void addBadRecords(byte[] goodKey, byte[] good) throws Exception {
        bad.put("garbage", record(goodKey, "garbage".getBytes(StandardCharsets.UTF_8)));
        bad.put("truncated", record(goodKey, Arrays.copyOf(good, good.length - 4)));
        bad.put("short key", record(new byte[4], good));
        bad.put("key differs from id", record(SeriesId.of(1).toBytes(), good));
        bad.put("NaN", record(goodKey, SERDE.serialize(event(GOOD_ID, MetricType.GAUGE, Double.NaN))));
        bad.put("negative timer", record(goodKey, SERDE.serialize(event(GOOD_ID, MetricType.TIMER, -5))));
        bad.put("negative counter", record(goodKey, SERDE.serialize(event(GOOD_ID, MetricType.COUNTER, -5))));
        bad.put("null key", record(null, good));
        bad.put("null value", record(goodKey, null));
        bad.put("infinity", record(goodKey, SERDE.serialize(event(GOOD_ID, MetricType.GAUGE, Double.POSITIVE_INFINITY))));
        bad.put("before 1970", record(goodKey, SERDE.serialize(at(event(GOOD_ID, MetricType.TIMER, 5),
                Instant.parse("1969-12-31T23:59:59Z")))));
        bad.put("two days ahead", record(goodKey, SERDE.serialize(at(event(GOOD_ID, MetricType.TIMER, 5),
                Instant.now().plus(Duration.ofDays(2))))));
        bad.put("newer schema", record(goodKey, newerProducerEvent(GOOD_ID)));
        bad.put("10,000 labels", record(goodKey, SERDE.serialize(withLabels(event(GOOD_ID, MetricType.TIMER, 5), 10_000))));
        bad.put("100 labels", record(goodKey, SERDE.serialize(withLabels(event(GOOD_ID, MetricType.TIMER, 5), 100))));
        new java.util.Random(1).nextBytes(huge);
        bad.put("5 MB value", record(goodKey, huge));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyBadRecordIsDeadLetteredOnceWithItsReason() {
        assertThat(dead).hasSize(bad.size());
        Map<String, String> reasons = dead.stream().collect(Collectors.toMap(
                r -> header(r, DeadLetterHeaders.SOURCE_OFFSET) + "@" + header(r, DeadLetterHeaders.SOURCE_PARTITION),
                r -> header(r, DeadLetterHeaders.REASON)));
        assertThat(reasons.values()).containsExactlyInAnyOrder(
                "bad-framing", "malformed", "bad-key", "invalid-event", "invalid-event", "invalid-event",
                "invalid-event", "bad-key", "null-value", "invalid-event", "invalid-event", "invalid-event",
                "unknown-schema", "too-large", "invalid-event", "too-large");
    }

    @Test
    void aDeadLetterKeepsTheRecordByteForByteEvenAt5Mb() {
        assertThat(dead).anySatisfy(r -> assertThat(r.value()).isEqualTo(huge));
    }

    @Test
    void everyDeadLetterNamesItsSourceTopicAndTheProblem() {
        assertThat(dead).isNotEmpty().allSatisfy(record -> {
            assertThat(header(record, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(config.eventsTopic());
            assertThat(header(record, DeadLetterHeaders.MESSAGE)).isNotBlank();
        });
    }

    @Test
    void deadLettersAreCountedByReasonOnTheMetricsPage() {
        Map<String, Double> counted = new java.util.TreeMap<>();
        PrometheusText.scrape(Api.of(app, null)).find("rollcall_events_dead_lettered_total")
                .forEach(sample -> counted.put(sample.labels().get("reason"), sample.value()));
        assertThat(counted).containsEntry("invalid_event", 8.0)
                .containsEntry("too_large", 2.0)
                .containsEntry("unknown_schema", 1.0)
                .containsEntry("bad_key", 2.0);
        assertThat(counted.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(bad.size());
    }

    @Test
    void everyGoodRecordAroundTheBadOnesIsAggregated() {
        Answer<Aggregate> lookup = app.aggregate(SeriesId.of(GOOD_ID));
        assertThat(lookup).isInstanceOf(Answer.Local.class);
        assertThat(((Answer.Local<Aggregate>) lookup).value().count()).isEqualTo(goodCount);
    }

    @Test
    void theAppKeepsRunning() {
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    private ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ProducerRecord<>(eventsTopic, key, value);
    }

    private String eventsTopic;

    private static MetricEvent event(long id, MetricType type, double value) {
        return MetricEvent.newBuilder().setId(id).setName("http.server.requests").setTimestamp(Instant.now())
                .setType(type).setValue(value).setStatus(type == MetricType.TIMER ? 200 : null).build();
    }

    private static MetricEvent at(MetricEvent event, Instant time) {
        return MetricEvent.newBuilder(event).setTimestamp(time).build();
    }

    private static MetricEvent withLabels(MetricEvent event, int count) {
        Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i < count; i++) {
            labels.put("k" + i, "v");
        }
        return MetricEvent.newBuilder(event).setLabels(labels).build();
    }

    /** An event written by a producer with a newer schema (an extra field): a fingerprint rollcall has not seen. */
    private static byte[] newerProducerEvent(long id) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(MetricEvent.getClassSchema().toString());
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("fields")).addObject()
                .put("name", "zone").put("type", "string").put("default", "");
        org.apache.avro.Schema newer = new org.apache.avro.Schema.Parser().parse(json.writeValueAsString(tree));
        org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(newer);
        record.put("id", id);
        record.put("name", "http.server.requests");
        record.put("timestamp", Instant.now().toEpochMilli());
        record.put("type", new org.apache.avro.generic.GenericData.EnumSymbol(newer.getField("type").schema(), "TIMER"));
        record.put("value", 12.0);
        record.put("status", 200);
        record.put("labels", Map.of());
        record.put("zone", "eu-west-1a");
        var buffer = new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
                org.apache.avro.generic.GenericData.get(), newer).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
