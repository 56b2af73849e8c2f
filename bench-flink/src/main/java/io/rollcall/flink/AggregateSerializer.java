package io.rollcall.flink;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.kafka.common.serialization.Serde;

/**
 * {@link Aggregate} in Flink state in rollcall's store encoding ({@link AggregateCodec#storeSerde()}:
 * the Avro single-object encoding with the quantile sketch, quantiles not computed), so Flink's
 * RocksDB holds what rollcall's holds and neither Kryo nor Flink's POJO analysis sees the sketch.
 * The encoding carries its schema's fingerprint and reads every released schema, so the
 * serializer's own snapshot has nothing to migrate: same class, compatible as it is.
 */
public final class AggregateSerializer extends EncodedSerializer<Aggregate> {

    public static final AggregateSerializer INSTANCE = new AggregateSerializer();

    private static final Serde<Aggregate> STORE = AggregateCodec.storeSerde();

    private AggregateSerializer() {
    }

    @Override
    protected byte[] encode(Aggregate value) {
        return STORE.serializer().serialize(null, value);
    }

    @Override
    protected Aggregate decode(byte[] bytes) {
        return STORE.deserializer().deserialize(null, bytes);
    }

    @Override
    public Aggregate createInstance() {
        return Aggregate.empty();
    }

    @Override
    public TypeSerializerSnapshot<Aggregate> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores {@link #INSTANCE}; Flink creates it by reflection, hence public with no arguments. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Aggregate> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
