package io.rollcall.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.BadRecordException;
import io.rollcall.schema.BadRecordException.Reason;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The decoder with a map standing in for the registry; the real registry is in the integration tests. */
class RegistryDecoderTest {

    private static final Schema CURRENT = MetricEvent.getClassSchema();

    static {
        AvroSerde.metricEvent(); // trusts the generated classes, as the application does
    }

    private final Map<Integer, Schema> registered = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final WriterSchemas registry = id -> {
        lookups.incrementAndGet();
        Schema schema = registered.get(id);
        if (schema == null) {
            throw new UnknownSchemaIdException(id, "Schema not found");
        }
        return schema;
    };
    private final RegistryDecoder<MetricEvent> decoder = new RegistryDecoder<>(MetricEvent.class, CURRENT, registry,
            1000, Duration.ofMinutes(1), nanos::get);

    private static GenericRecord event(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", 42L);
        record.put("name", "http.server.requests");
        record.put("timestamp", 1_700_000_000_000L);
        record.put("type", new GenericData.EnumSymbol(schema.getField("type").schema(), "TIMER"));
        record.put("value", 12.5);
        record.put("labels", Map.of("service", "checkout"));
        return record;
    }

    private static byte[] framed(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema variant(String fieldsJson) {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "MetricEvent", "namespace": "io.rollcall.schema.avro", "fields": [
                  {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
                  {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "type", "type": {"type": "enum", "name": "MetricType", "symbols": ["GAUGE", "COUNTER", "TIMER"]}},
                  %s,
                  {"name": "labels", "type": {"type": "map", "values": "string"}, "default": {}}]}
                """.formatted(fieldsJson));
    }

    @Test
    void readsAValueWrittenWithTheCurrentSchema() throws IOException {
        registered.put(7, CURRENT);
        GenericRecord written = event(CURRENT);
        written.put("status", 503);

        MetricEvent event = decoder.decode(framed(7, CURRENT, written));

        assertThat(event.getId()).isEqualTo(42L);
        assertThat(event.getType()).isEqualTo(MetricType.TIMER);
        assertThat(event.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(event.getStatus()).isEqualTo(503);
        assertThat(event.getLabels()).containsEntry("service", "checkout");
    }

    @Test
    void readsAWriterWithAnExtraFieldAndWithoutAnOptionalOne() throws IOException {
        Schema writer = variant("""
                {"name": "value", "type": "double"}, {"name": "region", "type": ["null", "string"], "default": null}""");
        registered.put(8, writer);
        GenericRecord written = event(writer);
        written.put("region", "eu-west-1");

        MetricEvent event = decoder.decode(framed(8, writer, written));

        assertThat(event.getValue()).isEqualTo(12.5);
        assertThat(event.getStatus()).isNull();
    }

    @Test
    void deadLettersAWriterSchemaThatCannotBeReadAsTheCurrentOne() throws IOException {
        Schema writer = variant("""
                {"name": "value", "type": "string"}""");
        registered.put(9, writer);
        GenericRecord written = event(writer);
        written.put("value", "twelve");

        assertThatThrownBy(() -> decoder.decode(framed(9, writer, written)))
                .isInstanceOfSatisfying(BadRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA);
                    assertThat(e.getMessage()).startsWith("writer schema 9 cannot be read as io.rollcall.schema.avro.MetricEvent: ")
                            .contains("/fields/4/type");
                });
    }

    @Test
    void deadLettersAnIdTheRegistryDoesNotHave() throws IOException {
        byte[] value = framed(10, CURRENT, event(CURRENT));

        assertThatThrownBy(() -> decoder.decode(value))
                .isInstanceOfSatisfying(BadRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
                    assertThat(e.getMessage()).isEqualTo("the schema registry has no schema with id 10: Schema not found");
                });
    }

    @Test
    void aRegistryThatCannotBeAskedIsNotBadData() throws IOException {
        RegistryDecoder<MetricEvent> offline = new RegistryDecoder<>(MetricEvent.class, CURRENT, id -> {
            throw new RegistryUnavailableException("connection refused", new ConnectException());
        }, 1000, Duration.ofMinutes(1));
        byte[] value = framed(7, CURRENT, event(CURRENT));

        assertThatThrownBy(() -> offline.decode(value)).isExactlyInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void asksTheRegistryOncePerId() throws IOException {
        registered.put(7, CURRENT);
        byte[] value = framed(7, CURRENT, event(CURRENT));

        decoder.decode(value);
        decoder.decode(value);

        assertThat(lookups).hasValue(1);
    }

    @Test
    void anUnknownIdIsNotAskedForAgainWithinItsTtl() throws IOException {
        byte[] value = framed(10, CURRENT, event(CURRENT));
        assertThatThrownBy(() -> decoder.decode(value)).isInstanceOf(BadRecordException.class);
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());

        assertThatThrownBy(() -> decoder.decode(value))
                .isInstanceOfSatisfying(BadRecordException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA));
        assertThat(lookups).hasValue(1);
    }

    @Test
    void anIdRegisteredAfterItWasUnknownIsReadOnceItsTtlHasPassed() throws IOException {
        byte[] value = framed(10, CURRENT, event(CURRENT));
        assertThatThrownBy(() -> decoder.decode(value)).isInstanceOf(BadRecordException.class);
        registered.put(10, CURRENT);
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());

        assertThat(decoder.decode(value).getName()).isEqualTo("http.server.requests");
    }

    @Test
    void keepsAtMostMaxSchemasReaders() throws IOException {
        RegistryDecoder<MetricEvent> small = new RegistryDecoder<>(MetricEvent.class, CURRENT, registry, 2,
                Duration.ofMinutes(1), nanos::get);
        for (int id = 1; id <= 50; id++) {
            registered.put(id, CURRENT);
            small.decode(framed(id, CURRENT, event(CURRENT)));
        }
        lookups.set(0);

        for (int id = 1; id <= 50; id++) {
            small.decode(framed(id, CURRENT, event(CURRENT)));
        }

        assertThat(lookups.get()).isGreaterThan(40);
    }

    @Test
    void aValueShorterThanTheHeaderIsBadFraming() {
        assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 7}))
                .isInstanceOfSatisfying(BadRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_FRAMING);
                    assertThat(e.getMessage()).isEqualTo("not the Confluent wire format: 3 bytes, shorter than the 5-byte header");
                });
    }

    @Test
    void aTruncatedBodyIsMalformed() throws IOException {
        registered.put(7, CURRENT);
        byte[] whole = framed(7, CURRENT, event(CURRENT));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 4);

        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOfSatisfying(BadRecordException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void bytesLeftAfterTheRecordAreMalformed() throws IOException {
        registered.put(7, CURRENT);
        byte[] whole = framed(7, CURRENT, event(CURRENT));
        byte[] longer = java.util.Arrays.copyOf(whole, whole.length + 3);

        assertThatThrownBy(() -> decoder.decode(longer))
                .isInstanceOfSatisfying(BadRecordException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("bytes left after the record of schema 7"));
    }
}
