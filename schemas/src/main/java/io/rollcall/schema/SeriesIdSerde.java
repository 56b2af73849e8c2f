package io.rollcall.schema;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde for {@link SeriesId}: exactly 8 bytes, big-endian. */
public final class SeriesIdSerde implements Serde<SeriesId> {

    private static final Serializer<SeriesId> SERIALIZER =
            (topic, id) -> id == null ? null : id.toBytes();

    private static final Deserializer<SeriesId> DESERIALIZER = (topic, bytes) -> {
        if (bytes == null) {
            return null;
        }
        try {
            return SeriesId.fromBytes(bytes);
        } catch (InvalidSeriesIdException e) {
            throw new BadRecordException(BadRecordException.Reason.BAD_KEY, e.getMessage());
        }
    };

    @Override
    public Serializer<SeriesId> serializer() {
        return SERIALIZER;
    }

    @Override
    public Deserializer<SeriesId> deserializer() {
        return DESERIALIZER;
    }

}
