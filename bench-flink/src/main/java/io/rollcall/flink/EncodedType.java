package io.rollcall.flink;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.avro.MetricEvent;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information for a value that travels and rests in one of rollcall's encodings. */
final class EncodedType<T> extends TypeInformation<T> {

    static final EncodedType<Aggregate> AGGREGATE = new EncodedType<>(Aggregate.class, AggregateSerializer.INSTANCE);
    static final EncodedType<MetricEvent> EVENT = new EncodedType<>(MetricEvent.class, EventSerializer.INSTANCE);

    private final Class<T> type;
    private final EncodedSerializer<T> serializer;

    private EncodedType(Class<T> type, EncodedSerializer<T> serializer) {
        this.type = type;
        this.serializer = serializer;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer;
    }

    @Override
    public String toString() {
        return "Encoded<" + type.getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedType<?> that && that.type == type;
    }

    @Override
    public int hashCode() {
        return Objects.hash(EncodedType.class, type);
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof EncodedType;
    }
}
