package io.rollcall.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schema.BadRecordException.Reason;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();

    @Test
    void roundTripsTheCurrentSchemaInSingleObjectFraming() {
        MetricEvent event = event();

        byte[] bytes = serde.serialize(event);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(MetricEvent.getClassSchema()));
        assertThat(serde.deserialize(bytes)).isEqualTo(event);
    }

    @Test
    void readsRecordsWrittenWithTheReleasedV1SchemaAsTheCurrentSchema() {
        Schema v1 = ReleasedSchemas.of(MetricEvent.getClassSchema().getFullName()).get(0);
        assertThat(v1.getField("status")).as("v1 predates status").isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", -1L);
        old.put("name", "http.server.requests");
        old.put("timestamp", 1_700_000_000_000L);
        old.put("type", new GenericData.EnumSymbol(v1.getField("type").schema(), "TIMER"));
        old.put("value", 12.5);
        old.put("labels", Map.of("service", "checkout"));

        byte[] bytes = encode(v1, old);
        MetricEvent read = serde.deserialize(bytes);

        assertThat(read.getId()).isEqualTo(-1L);
        assertThat(read.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(read.getType()).isEqualTo(MetricType.TIMER);
        assertThat(read.getValue()).isEqualTo(12.5);
        assertThat(read.getStatus()).as("field added in v2 takes its default").isNull();
        assertThat(read.getLabels()).containsEntry("service", "checkout");
    }

    @Test
    void rejectsAnUnknownWriterFingerprintWithATypedError() {
        Schema newer = new Schema.Parser().parse(MetricEvent.getClassSchema().toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"extra\",\"type\":\"string\",\"default\":\"\"},"));
        GenericRecord record = new GenericData.Record(newer);
        for (Schema.Field field : MetricEvent.getClassSchema().getFields()) {
            record.put(field.name(), GenericData.get().deepCopy(field.schema(), genericValueOf(field.name())));
        }
        record.put("extra", "x");
        record.put("type", new GenericData.EnumSymbol(newer.getField("type").schema(), "GAUGE"));

        assertThatThrownBy(() -> serde.deserialize(encode(newer, record)))
                .isInstanceOfSatisfying(BadRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA));
    }

    @Test
    void rejectsTruncatedBytesWithATypedError() {
        byte[] whole = serde.serialize(event());
        for (int length = 10; length < whole.length; length++) {
            byte[] truncated = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> serde.deserialize(truncated))
                    .as("truncated to %d of %d bytes", truncated.length, whole.length)
                    .isInstanceOfSatisfying(BadRecordException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        }
    }

    @Test
    void aLeadingRecordIsReadWithTheNumberOfBytesItTook() {
        byte[] record = serde.serialize(event());
        byte[] followed = Arrays.copyOf(record, record.length + 5);

        AvroSerde.Leading<MetricEvent> leading = serde.deserializeLeading(followed);

        assertThat(leading.value()).isEqualTo(event());
        assertThat(leading.length()).isEqualTo(record.length);
    }

    @Test
    void aReaderOfTheRecordAloneIgnoresBytesAfterIt() {
        byte[] record = serde.serialize(event());

        assertThat(serde.deserialize(Arrays.copyOf(record, record.length + 5))).isEqualTo(event());
    }

    @Test
    void aTruncatedLeadingRecordIsATypedError() {
        byte[] record = serde.serialize(event());

        assertThatThrownBy(() -> serde.deserializeLeading(Arrays.copyOf(record, record.length - 1)))
                .isInstanceOfSatisfying(BadRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void rejectsBytesWithoutTheSingleObjectMarker() {
        assertThatThrownBy(() -> serde.deserialize("{\"id\":1}".getBytes()))
                .isInstanceOfSatisfying(BadRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_FRAMING));
        assertThatThrownBy(() -> serde.deserialize(new byte[] {(byte) 0xC3}))
                .isInstanceOfSatisfying(BadRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_FRAMING));
    }

    @Test
    void rejectsAGarbageBodyBehindAKnownFingerprintWithoutAllocatingItsClaimedSize() {
        byte[] header = Arrays.copyOf(serde.serialize(event()), 10);
        // id, then a name length of 2^30: Avro would try to read a gigabyte string.
        byte[] body = {0x02, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        byte[] bytes = ByteBuffer.allocate(header.length + body.length).put(header).put(body).array();

        assertThatThrownBy(() -> serde.deserialize(bytes))
                .isInstanceOfSatisfying(BadRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Property(tries = 2000)
    void arbitraryBytesAreEitherAnEventOrABadRecordNeverAnotherException(@ForAll @Size(max = 64) byte[] body) {
        byte[] header = Arrays.copyOf(serde.serialize(event()), 10);
        byte[] bytes = ByteBuffer.allocate(header.length + body.length).put(header).put(body).array();
        try {
            assertThat(serde.deserialize(bytes)).isNotNull();
        } catch (BadRecordException expected) {
            assertThat(expected.reason()).isIn(Reason.MALFORMED, Reason.INCOMPATIBLE_SCHEMA);
        }
    }

    private static Object genericValueOf(String field) {
        Object value = event().get(field);
        return value instanceof Instant instant ? instant.toEpochMilli() : value;
    }

    private static byte[] encode(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static MetricEvent event() {
        return MetricEvent.newBuilder()
                .setId(Long.MIN_VALUE)
                .setName("http.server.requests")
                .setTimestamp(Instant.ofEpochMilli(1_700_000_000_123L))
                .setType(MetricType.TIMER)
                .setValue(42.0)
                .setStatus(503)
                .setLabels(Map.of("service", "checkout", "revision", "v2"))
                .build();
    }
}
