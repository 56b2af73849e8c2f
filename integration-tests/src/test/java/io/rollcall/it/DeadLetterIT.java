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
import org.junit.jupiter.api.Test;

/** Bad records interleaved with good ones on a real broker: the bad go to the dead-letter topic, the good are all counted, the app keeps running. */
class DeadLetterIT {

    private static final AvroSerde<MetricEvent> SERDE = AvroSerde.metricEvent();
    private static final long GOOD_ID = Long.parseUnsignedLong("12345678901234567890");

    @Test
    void badRecordsAreDeadLetteredWithTheirReasonAndGoodOnesAroundThemAreAggregated() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("dead-letter");
        eventsTopic = config.eventsTopic();
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 3),
                compacted(config.aggregatesTopic(), 3), topic(config.deadLetterTopic(), 3)));
        byte[] goodKey = SeriesId.of(GOOD_ID).toBytes();
        byte[] good = SERDE.serialize(event(GOOD_ID, MetricType.TIMER, 10));
        Map<String, ProducerRecord<byte[], byte[]>> bad = new LinkedHashMap<>();
        bad.put("garbage", record(goodKey, "garbage".getBytes(StandardCharsets.UTF_8)));
        bad.put("truncated", record(goodKey, Arrays.copyOf(good, good.length - 4)));
        bad.put("short key", record(new byte[4], good));
        bad.put("key differs from id", record(SeriesId.of(1).toBytes(), good));
        bad.put("NaN", record(goodKey, SERDE.serialize(event(GOOD_ID, MetricType.GAUGE, Double.NaN))));
        bad.put("negative timer", record(goodKey, SERDE.serialize(event(GOOD_ID, MetricType.TIMER, -5))));
        bad.put("negative counter", record(goodKey, SERDE.serialize(event(GOOD_ID, MetricType.COUNTER, -5))));

        try (RollcallApp app = RollcallApp.start(config);
             KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            int goodCount = 0;
            for (ProducerRecord<byte[], byte[]> record : bad.values()) {
                producer.send(record(goodKey, good));
                producer.send(record);
                goodCount++;
            }
            producer.send(record(goodKey, good));
            goodCount++;
            producer.flush();
            Fixtures.awaitCommitted(config, goodCount + bad.size(), Duration.ofMinutes(1));

            List<ConsumerRecord<byte[], byte[]>> dead = Fixtures.readAll(config, config.deadLetterTopic());
            assertThat(dead).hasSize(bad.size());
            Map<String, String> reasons = dead.stream().collect(Collectors.toMap(
                    r -> header(r, DeadLetterHeaders.SOURCE_OFFSET) + "@" + header(r, DeadLetterHeaders.SOURCE_PARTITION),
                    r -> header(r, DeadLetterHeaders.REASON)));
            assertThat(reasons.values()).containsExactlyInAnyOrder(
                    "bad-framing", "malformed", "bad-key", "invalid-event", "invalid-event", "invalid-event",
                    "invalid-event");
            for (ConsumerRecord<byte[], byte[]> record : dead) {
                assertThat(header(record, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(config.eventsTopic());
                assertThat(header(record, DeadLetterHeaders.MESSAGE)).isNotBlank();
            }

            Answer<Aggregate> lookup = app.aggregate(SeriesId.of(GOOD_ID));
            assertThat(lookup).isInstanceOf(Answer.Local.class);
            assertThat(((Answer.Local<Aggregate>) lookup).value().count()).isEqualTo(goodCount);
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ProducerRecord<>(eventsTopic, key, value);
    }

    private String eventsTopic;

    private static MetricEvent event(long id, MetricType type, double value) {
        return MetricEvent.newBuilder().setId(id).setName("http.server.requests").setTimestamp(Instant.now())
                .setType(type).setValue(value).setStatus(type == MetricType.TIMER ? 200 : null).build();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
