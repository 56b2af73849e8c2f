package io.rollcall.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class AggregateSerializerTest {

    private static final AggregateSerializer SERIALIZER = AggregateSerializer.INSTANCE;

    private static Aggregate aggregate() {
        Aggregate aggregate = Aggregate.empty();
        for (int i = 1; i <= 200; i++) {
            aggregate = aggregate.add(MetricEvent.newBuilder()
                    .setId(-7L)
                    .setName("http.server.requests")
                    .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L + i))
                    .setType(MetricType.TIMER)
                    .setValue(i * 1.5)
                    .setStatus(i % 10 == 0 ? 503 : 200)
                    .setLabels(Map.of("service", "checkout"))
                    .build());
        }
        return aggregate;
    }

    private static byte[] serialized(Aggregate aggregate) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SERIALIZER.serialize(aggregate, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void roundTripsAnAggregateWithItsSketch() throws IOException {
        Aggregate original = aggregate();

        Aggregate read = SERIALIZER.deserialize(new DataInputDeserializer(serialized(original)));

        assertThat(read).usingRecursiveComparison().ignoringFields("sketch").isEqualTo(original);
        assertThat(read.sketch().toBytes()).isEqualTo(original.sketch().toBytes());
        assertThat(read.quantiles(0.5, 0.99)).containsExactly(original.quantiles(0.5, 0.99));
    }

    @Test
    void copiesASerializedAggregateByteForByte() throws IOException {
        byte[] bytes = serialized(aggregate());
        // Not the initial size of the other buffers: copying from a view writes into the space there is.
        DataOutputSerializer copy = new DataOutputSerializer(bytes.length);

        SERIALIZER.copy(new DataInputDeserializer(bytes), copy);

        assertThat(copy.getCopyOfBuffer()).isEqualTo(bytes);
    }

    @Test
    void snapshotRestoresTheSerializerAsCompatibleAsIs() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, SERIALIZER.snapshotConfiguration());

        TypeSerializerSnapshot<Aggregate> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(restored.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void stateTypeGivesTheSerializerAlsoAfterJavaSerialization() throws Exception {
        TypeSerializer<Aggregate> shipped = InstantiationUtil.clone(
                EncodedType.AGGREGATE.createSerializer(new SerializerConfigImpl()));

        assertThat(shipped).isEqualTo(SERIALIZER);
        assertThat(shipped.deserialize(new DataInputDeserializer(serialized(aggregate()))).count()).isEqualTo(200);
    }
}
