package io.rollcall.aggregate;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricAggregate;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Converts {@link Aggregate} to and from the contract's Avro {@link MetricAggregate}. */
public final class AggregateCodec {

    private static final AvroSerde<MetricAggregate> AVRO = AvroSerde.metricAggregate();

    private AggregateCodec() {
    }

    /**
     * Serde of the Avro single-object encoding of {@link MetricAggregate}, as the
     * {@code metric-aggregates} topic carries it: quantiles included, window fields null.
     */
    public static Serde<Aggregate> serde() {
        return serde(true);
    }

    /**
     * The same encoding for state stores, without computing the quantile fields (NaN):
     * stores are read back through the sketch, and reading five quantiles on every one of
     * the store's writes costs more than the rest of the encoding.
     */
    public static Serde<Aggregate> storeSerde() {
        return serde(false);
    }

    /**
     * The topic's serde, remembering per thread the last aggregate it encoded. When the all-time
     * store and the aggregates topic use the same instance, a flush encodes each changed
     * aggregate once: the store's write and the topic's send follow each other with the same
     * (immutable) value. The returned bytes are shared, and nothing downstream changes them.
     */
    public static Serde<Aggregate> sharedSerde() {
        ThreadLocal<Object[]> last = ThreadLocal.withInitial(() -> new Object[2]);
        Serializer<Aggregate> serializer = (topic, aggregate) -> {
            if (aggregate == null) {
                return null;
            }
            Object[] memo = last.get();
            if (memo[0] == aggregate) {
                return (byte[]) memo[1];
            }
            byte[] bytes = AVRO.serialize(toAvro(aggregate, true));
            memo[0] = aggregate;
            memo[1] = bytes;
            return bytes;
        };
        return Serdes.serdeFrom(serializer, serde(true).deserializer());
    }

    private static Serde<Aggregate> serde(boolean withQuantiles) {
        Serializer<Aggregate> serializer = (topic, aggregate) ->
                aggregate == null ? null : AVRO.serialize(toAvro(aggregate, withQuantiles));
        Deserializer<Aggregate> deserializer = (topic, bytes) ->
                bytes == null ? null : fromAvro(AVRO.deserialize(bytes));
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static final double[] PUBLISHED_QUANTILES = Quantiles.published();
    private static final double[] NO_QUANTILES = Arrays.stream(PUBLISHED_QUANTILES).map(q -> Double.NaN).toArray();

    /** The all-time form: windowStart and windowEnd stay null (windows are keyed by their start in their store). */
    private static MetricAggregate toAvro(Aggregate aggregate, boolean withQuantiles) {
        double[] p = withQuantiles ? aggregate.quantiles(PUBLISHED_QUANTILES) : NO_QUANTILES;
        return MetricAggregate.newBuilder()
                .setId(aggregate.id().bits())
                .setName(aggregate.name())
                .setType(aggregate.type())
                .setCount(aggregate.count())
                .setSum(aggregate.sum())
                .setMin(aggregate.min())
                .setMax(aggregate.max())
                .setLast(aggregate.last())
                .setFirstEventTime(Instant.ofEpochMilli(aggregate.firstEventTime()))
                .setLastEventTime(Instant.ofEpochMilli(aggregate.lastEventTime()))
                .setErrorCount(aggregate.errorCount())
                .setP50(p[0])
                .setP90(p[1])
                .setP95(p[2])
                .setP99(p[3])
                .setP999(p[4])
                .setSketchRelativeAccuracy(QuantileSketch.RELATIVE_ACCURACY)
                .setSketch(ByteBuffer.wrap(aggregate.sketch().toBytes()))
                .build();
    }

    private static Aggregate fromAvro(MetricAggregate avro) {
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
