package io.rollcall.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.BadRecordException;
import io.rollcall.schema.BadRecordException.Reason;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which path a value takes by its first byte; each path is tested on its own elsewhere. */
class ValueDecoderTest {

    private static final AvroSerde<MetricEvent> SERDE = AvroSerde.metricEvent();
    private static final MetricEvent EVENT = MetricEvent.newBuilder().setId(42L).setName("db.query")
            .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L)).setType(MetricType.GAUGE).setValue(3.5).build();

    private final ValueDecoder<MetricEvent> withoutRegistry = new ValueDecoder<>(SERDE, Optional.empty(),
            "schema.registry.url");

    @Test
    void readsSingleObjectEncodingWithoutARegistry() {
        assertThat(withoutRegistry.decode(SERDE.serialize(EVENT))).isEqualTo(EVENT);
    }

    @Test
    void aConfluentFramedValueWithoutARegistryIsAnUnknownSchemaNamingTheSetting() {
        assertThatThrownBy(() -> withoutRegistry.decode(new byte[] {0, 0, 0, 0, 12, 2}))
                .isInstanceOfSatisfying(BadRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
                    assertThat(e.getMessage()).isEqualTo("Confluent wire format with schema id 12, but no schema "
                            + "registry is configured: set schema.registry.url");
                });
    }

    @Test
    void aConfluentFramedValueGoesToTheRegistry() {
        ValueDecoder<MetricEvent> decoder = new ValueDecoder<>(SERDE, Optional.of(new RegistryDecoder<>(
                MetricEvent.class, MetricEvent.getClassSchema(), id -> {
                    throw new RegistryUnavailableException("asked for " + id, null);
                }, 10, java.time.Duration.ofMinutes(1))), "schema.registry.url");

        assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 0, 0, 12, 2}))
                .isInstanceOf(RegistryUnavailableException.class).hasMessage("asked for 12");
    }

    @Test
    void aValueInNeitherEncodingIsBadFramingNamingBoth() {
        assertThatThrownBy(() -> withoutRegistry.decode("{\"id\": 42}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(BadRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_FRAMING);
                    assertThat(e.getMessage()).startsWith(
                            "neither Avro single-object encoding (C3 01) nor the Confluent wire format (00): ");
                });
    }
}
