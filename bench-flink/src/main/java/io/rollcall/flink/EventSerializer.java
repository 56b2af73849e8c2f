package io.rollcall.flink;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * {@link MetricEvent} in the events topic's encoding (Avro single-object). The decoded events go
 * from the all-time function to the window operator chained in the same task, where nothing is
 * serialized; this serializer is there so that no Kryo fallback is ever configured for them.
 */
public final class EventSerializer extends EncodedSerializer<MetricEvent> {

    public static final EventSerializer INSTANCE = new EventSerializer();

    private static final AvroSerde<MetricEvent> AVRO = AvroSerde.metricEvent();

    private EventSerializer() {
    }

    @Override
    protected byte[] encode(MetricEvent value) {
        return AVRO.serialize(value);
    }

    @Override
    protected MetricEvent decode(byte[] bytes) {
        return AVRO.deserialize(bytes);
    }

    @Override
    public MetricEvent createInstance() {
        return new MetricEvent();
    }

    @Override
    public TypeSerializerSnapshot<MetricEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores {@link #INSTANCE}; Flink creates it by reflection, hence public with no arguments. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
