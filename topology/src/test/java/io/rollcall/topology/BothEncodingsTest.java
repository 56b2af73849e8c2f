package io.rollcall.topology;

import static io.rollcall.topology.TestEvents.bytes;
import static io.rollcall.topology.TestEvents.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.registry.RegistryUnavailableException;
import io.rollcall.schema.registry.UnknownSchemaIdException;
import io.rollcall.schema.registry.WriterSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-object and Confluent-framed events on one topic, with a map standing in for the
 * registry (the real one is in RegistryIT).
 */
class BothEncodingsTest {

    private static final long T0 = 1_795_680_000_000L;
    private static final long ID = 42;
    private static final int SCHEMA_ID = 3;

    @TempDir
    Path stateDir;

    private final AtomicBoolean registryDown = new AtomicBoolean();
    private final WriterSchemas registry = id -> {
        if (registryDown.get()) {
            throw new RegistryUnavailableException("connection refused", null);
        }
        if (id != SCHEMA_ID) {
            throw new UnknownSchemaIdException(id, "Schema not found");
        }
        return MetricEvent.getClassSchema();
    };
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        RollcallConfig config = RollcallConfig.of(Map.of("schema.registry.url", "http://registry:8081"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "both-encodings-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(RollcallTopology.build(config, 1,
                Optional.of(new RollcallTopology.Registry(registry, OptionalInt.empty(), OptionalInt.empty()))), props);
        events = driver.createInputTopic("metric-events", new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic("metric-events-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void eventsOfBothEncodingsAreAggregatedTogether() {
        events.pipeInput(key(), bytes(gauge(ID, T0, 1)), T0);
        events.pipeInput(key(), confluent(SCHEMA_ID, gauge(ID, T0 + 1, 2)), T0 + 1);
        events.pipeInput(key(), bytes(gauge(ID, T0 + 2, 4)), T0 + 2);

        Aggregate aggregate = driver.<byte[], SeriesState>getTimestampedKeyValueStore(StoreNames.ALL_TIME).get(key())
                .value().allTime();
        assertThat(aggregate.count()).isEqualTo(3);
        assertThat(aggregate.sum()).isEqualTo(7.0);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void anIdTheRegistryDoesNotHaveIsDeadLettered() {
        events.pipeInput(key(), confluent(99, gauge(ID, T0, 1)), T0);

        assertThat(new String(deadLetters.readRecord().headers().lastHeader(DeadLetterHeaders.REASON).value()))
                .isEqualTo("unknown-schema");
    }

    @Test
    void aRegistryThatCannotBeAskedStopsProcessingInsteadOfDeadLettering() {
        registryDown.set(true);

        assertThatThrownBy(() -> events.pipeInput(key(), confluent(SCHEMA_ID, gauge(ID, T0, 1)), T0))
                .hasRootCauseInstanceOf(RegistryUnavailableException.class);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    private static byte[] key() {
        return SeriesId.of(ID).toBytes();
    }

    private static byte[] confluent(int schemaId, MetricEvent event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(MetricEvent.class).write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
