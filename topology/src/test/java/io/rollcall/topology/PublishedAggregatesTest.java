package io.rollcall.topology;

import static io.rollcall.topology.TestEvents.bytes;
import static io.rollcall.topology.TestEvents.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricAggregate;
import io.rollcall.schema.registry.ConfluentFramed;
import io.rollcall.schema.registry.RegistryDecoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aggregates written in the Confluent wire format when rollcall.registry.publish names them. */
class PublishedAggregatesTest {

    private static final long T0 = 1_795_680_000_000L;
    private static final int AGGREGATE_SCHEMA_ID = 11;

    @TempDir
    Path stateDir;

    @Test
    void anAggregateIsTheConfluentFramedRecordOfItsRegisteredSchema() {
        RollcallConfig config = RollcallConfig.of(Map.of("schema.registry.url", "http://registry:8081",
                "rollcall.registry.publish", "aggregates", "rollcall.store.cached-aggregates", "1"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "published-aggregates-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(RollcallTopology.build(config, 1,
                Optional.of(new RollcallTopology.Registry(id -> MetricAggregate.getClassSchema(),
                        OptionalInt.of(AGGREGATE_SCHEMA_ID), OptionalInt.empty()))), props)) {
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic("metric-events", new ByteArraySerializer(),
                    new ByteArraySerializer());
            events.pipeInput(SeriesId.of(42).toBytes(), bytes(gauge(42, T0, 2.5)), T0);

            byte[] value = driver.createOutputTopic("metric-aggregates", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readValue();

            assertThat(ConfluentFramed.parse(value).schemaId()).isEqualTo(AGGREGATE_SCHEMA_ID);
            MetricAggregate aggregate = new RegistryDecoder<>(MetricAggregate.class, MetricAggregate.getClassSchema(),
                    id -> MetricAggregate.getClassSchema(), 10, Duration.ofMinutes(1)).decode(value);
            assertThat(aggregate.getId()).isEqualTo(42L);
            assertThat(aggregate.getCount()).isEqualTo(1L);
            assertThat(aggregate.getSum()).isEqualTo(2.5);
        }
    }
}
