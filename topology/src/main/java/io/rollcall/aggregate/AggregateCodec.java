package io.rollcall.aggregate;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricAggregate;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.kstream.Window;

/** Converts {@link Aggregate} to and from the contract's Avro {@link MetricAggregate}. */
public final class AggregateCodec {

    private static final AvroSerde<MetricAggregate> AVRO = AvroSerde.metricAggregate();

    private AggregateCodec() {
    }

    /**
     * Serde of the Avro single-object encoding of {@link MetricAggregate}: what state stores
     * hold and what the {@code metric-aggregates} topic carries. Window fields are left null;
     * a window store's key already carries the window.
     */
    public static Serde<Aggregate> serde() {
        Serializer<Aggregate> serializer = (topic, aggregate) ->
                aggregate == null ? null : AVRO.serialize(toAvro(aggregate, null));
        Deserializer<Aggregate> deserializer = (topic, bytes) ->
                bytes == null ? null : fromAvro(AVRO.deserialize(bytes));
        return Serdes.serdeFrom(serializer, deserializer);
    }

    public static MetricAggregate toAvro(Aggregate aggregate, Window window) {
        return MetricAggregate.newBuilder()
                .setId(aggregate.id().bits())
                .setName(aggregate.name())
                .setType(aggregate.type())
                .setWindowStart(window == null ? null : Instant.ofEpochMilli(window.start()))
                .setWindowEnd(window == null ? null : Instant.ofEpochMilli(window.end()))
                .setCount(aggregate.count())
                .setSum(aggregate.sum())
                .setMin(aggregate.min())
                .setMax(aggregate.max())
                .setLast(aggregate.last())
                .setFirstEventTime(Instant.ofEpochMilli(aggregate.firstEventTime()))
                .setLastEventTime(Instant.ofEpochMilli(aggregate.lastEventTime()))
                .setErrorCount(aggregate.errorCount())
                .setP50(aggregate.quantile(0.50))
                .setP90(aggregate.quantile(0.90))
                .setP95(aggregate.quantile(0.95))
                .setP99(aggregate.quantile(0.99))
                .setP999(aggregate.quantile(0.999))
                .setSketchRelativeAccuracy(QuantileSketch.RELATIVE_ACCURACY)
                .setSketch(ByteBuffer.wrap(aggregate.sketch().toBytes()))
                .build();
    }

    public static Aggregate fromAvro(MetricAggregate avro) {
        ByteBuffer sketchBytes = avro.getSketch().duplicate();
        byte[] sketch = new byte[sketchBytes.remaining()];
        sketchBytes.get(sketch);
        return new Aggregate(
                SeriesId.of(avro.getId()),
                avro.getName(),
                avro.getType(),
                avro.getCount(),
                avro.getSum(),
                avro.getMin(),
                avro.getMax(),
                avro.getLast(),
                avro.getFirstEventTime().toEpochMilli(),
                avro.getLastEventTime().toEpochMilli(),
                avro.getErrorCount(),
                QuantileSketch.fromBytes(sketch));
    }
}
