package io.rollcall.topology;

import static io.rollcall.topology.TestEvents.bytes;
import static io.rollcall.topology.TestEvents.counter;
import static io.rollcall.topology.TestEvents.gauge;
import static io.rollcall.topology.TestEvents.timer;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rollcall.config.RollcallConfig;
import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad record goes to the dead-letter topic, as received, and the good ones around it are all counted. */
class DeadLetterTest {

    private static final long T0 = 1_795_680_000_000L;
    private static final long ID = 42;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        RollcallConfig config = RollcallConfig.of(Map.of("rollcall.event.max-bytes", "4096"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(RollcallTopology.build(config, 1, java.util.Optional.empty(),
                new PipelineMetrics(meters)), props);
        events = driver.createInputTopic("metric-events", new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic("metric-events-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    static Stream<Arguments> badRecords() {
        byte[] key = SeriesId.of(ID).toBytes();
        byte[] good = bytes(gauge(ID, T0, 1));
        Map<String, String> manyLabels = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            manyLabels.put("label" + i, "v");
        }
        MetricEvent labelled = gauge(ID, T0, 1);
        labelled.setLabels(manyLabels);
        return Stream.of(
                Arguments.of("garbage bytes", key, "not avro at all".getBytes(StandardCharsets.UTF_8), "bad-framing"),
                Arguments.of("truncated avro", key, Arrays.copyOf(good, good.length - 3), "malformed"),
                Arguments.of("unknown schema fingerprint", key, withFingerprintByte(good), "unknown-schema"),
                Arguments.of("Confluent framing, no registry configured", key, confluentFramed(good), "unknown-schema"),
                Arguments.of("null value", key, null, "null-value"),
                Arguments.of("null key", null, good, "bad-key"),
                Arguments.of("key of 7 bytes", new byte[7], good, "bad-key"),
                Arguments.of("key of 9 bytes", new byte[9], good, "bad-key"),
                Arguments.of("key differs from id", SeriesId.of(ID + 1).toBytes(), good, "invalid-event"),
                Arguments.of("NaN value", key, bytes(gauge(ID, T0, Double.NaN)), "invalid-event"),
                Arguments.of("positive infinity", key, bytes(gauge(ID, T0, Double.POSITIVE_INFINITY)), "invalid-event"),
                Arguments.of("negative infinity", key, bytes(gauge(ID, T0, Double.NEGATIVE_INFINITY)), "invalid-event"),
                Arguments.of("negative TIMER", key, bytes(timer(ID, T0, -1, 200)), "invalid-event"),
                Arguments.of("negative COUNTER", key, bytes(counter(ID, T0, -0.5)), "invalid-event"),
                Arguments.of("timestamp before 1970", key, bytes(gauge(ID, -1, 1)), "invalid-event"),
                Arguments.of("too many labels", key, bytes(labelled), "invalid-event"),
                Arguments.of("value too large", key, new byte[5000], "too-large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void sendsTheBadRecordToTheDeadLetterTopicAsReceivedAndKeepsCounting(
            String description, byte[] key, byte[] value, String reason) {
        events.pipeInput(key(ID), bytes(gauge(ID, T0, 1)), T0);
        RecordHeaders original = new RecordHeaders();
        original.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        events.pipeInput(new TestRecord<>(key, value, original, T0));
        events.pipeInput(key(ID), bytes(gauge(ID, T0 + 1, 2)), T0 + 1);

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        TestRecord<byte[], byte[]> record = dead.get(0);
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.value()).isEqualTo(value);
        assertThat(header(record, "trace-id")).isEqualTo("abc");
        assertThat(header(record, DeadLetterHeaders.REASON)).isEqualTo(reason);
        assertThat(header(record, DeadLetterHeaders.MESSAGE)).isNotBlank();
        assertThat(header(record, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("metric-events");
        assertThat(header(record, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(record, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");

        Aggregate agg = driver.<byte[], SeriesState>getTimestampedKeyValueStore(StoreNames.ALL_TIME)
                .get(key(ID)).value().allTime();
        assertThat(agg.count()).as("good events before and after are both counted").isEqualTo(2);
        assertThat(agg.sum()).isEqualTo(3.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void countsTheBadRecordUnderItsReasonAndTheGoodOnesAsAggregated(
            String description, byte[] key, byte[] value, String reason) {
        events.pipeInput(key(ID), bytes(gauge(ID, T0, 1)), T0);
        events.pipeInput(key, value, T0);

        assertThat(meters.get("rollcall.events.dead.lettered").tag("reason", reason.replace('-', '_')).counter()
                .count()).isEqualTo(1);
        assertThat(meters.find("rollcall.events.dead.lettered").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(1);
        assertThat(meters.get("rollcall.events.aggregated").counter().count()).isEqualTo(1);
    }

    @org.junit.jupiter.api.Test
    void aConfluentFramedValueWithoutARegistryNamesTheSettingItNeeds() {
        events.pipeInput(key(ID), confluentFramed(bytes(gauge(ID, T0, 1))), T0);

        assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE)).isEqualTo(
                "Confluent wire format with schema id 7, but no schema registry is configured: set schema.registry.url");
    }

    @org.junit.jupiter.api.Test
    void aValueInNeitherEncodingSaysWhichItExpected() {
        events.pipeInput(key(ID), "not avro at all".getBytes(StandardCharsets.UTF_8), T0);

        assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE))
                .startsWith("neither Avro single-object encoding (C3 01) nor the Confluent wire format (00): ");
    }

    /** Magic byte 0 and schema id 7 in front of the single-object bytes: only the framing matters here. */
    private static byte[] confluentFramed(byte[] body) {
        return java.nio.ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(7).put(body).array();
    }

    private static byte[] key(long id) {
        return SeriesId.of(id).toBytes();
    }

    private static byte[] withFingerprintByte(byte[] encoded) {
        byte[] copy = encoded.clone();
        copy[5] ^= 0x5A; // a byte inside the 8-byte fingerprint
        return copy;
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
