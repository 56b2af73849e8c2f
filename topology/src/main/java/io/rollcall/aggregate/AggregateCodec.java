package io.rollcall.aggregate;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricAggregate;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
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

    /** First byte after the all-time record when a window follows it in {@link #stateSerde}: the window's layout. */
    public static final byte WINDOW_FORMAT = 1;

    /**
     * Serde of the all-time store's {@link SeriesState}: the all-time aggregate encoded by
     * {@code allTime} (the topic's serde, so a flush encodes it once for both), followed, when
     * the series has a newest window, by {@link #WINDOW_FORMAT}, the window's start and
     * timestamp (8 bytes each, big-endian) and its aggregate in the store encoding. A reader of
     * {@code MetricAggregate} alone, every released one included, reads the all-time aggregate
     * and ignores the rest; a value without the rest (as releases before this layout wrote it)
     * reads as a series without a newest window.
     */
    public static Serde<SeriesState> stateSerde(Serde<Aggregate> allTime) {
        Serializer<Aggregate> allTimeWriter = allTime.serializer();
        ThreadLocal<StateOutput> buffers = ThreadLocal.withInitial(StateOutput::new);
        Serializer<SeriesState> serializer = (topic, state) -> {
            if (state == null) {
                return null;
            }
            byte[] head = allTimeWriter.serialize(topic, state.allTime());
            if (state.newest().isEmpty()) {
                return head;
            }
            SeriesState.Window window = state.newest().get();
            // One buffer per thread and one copy out of it: the window is encoded in place after the head.
            StateOutput out = buffers.get();
            out.reset();
            out.write(head, 0, head.length);
            out.write(WINDOW_FORMAT);
            out.writeLong(window.start());
            out.writeLong(window.timestamp());
            AVRO.serialize(toAvro(window.aggregate(), false), out);
            return out.toByteArray();
        };
        Deserializer<SeriesState> deserializer = (topic, bytes) -> bytes == null ? null : readState(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static SeriesState readState(byte[] bytes) {
        AvroSerde.Leading<MetricAggregate> head = AVRO.deserializeLeading(bytes);
        Aggregate allTime = fromAvro(head.value());
        if (head.length() == bytes.length) {
            return SeriesState.of(allTime);
        }
        ByteBuffer rest = ByteBuffer.wrap(bytes, head.length(), bytes.length - head.length());
        byte format = rest.get();
        if (format != WINDOW_FORMAT || rest.remaining() < 16) {
            throw new IllegalStateException("series state of " + allTime.id() + " has " + (bytes.length - head.length())
                    + " bytes after its all-time aggregate in an unknown layout " + format + "; this release reads "
                    + "layout " + WINDOW_FORMAT);
        }
        long start = rest.getLong();
        long timestamp = rest.getLong();
        byte[] window = new byte[rest.remaining()];
        rest.get(window);
        return new SeriesState(allTime,
                Optional.of(new SeriesState.Window(start, fromAvro(AVRO.deserialize(window)), timestamp)));
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
        // Setters on a new record: the builder validates every field and looks up the defaults of the unset ones.
        MetricAggregate avro = new MetricAggregate();
        avro.setId(aggregate.id().bits());
        avro.setName(aggregate.name());
        avro.setType(aggregate.type());
        avro.setCount(aggregate.count());
        avro.setSum(aggregate.sum());
        avro.setMin(aggregate.min());
        avro.setMax(aggregate.max());
        avro.setLast(aggregate.last());
        avro.setFirstEventTime(Instant.ofEpochMilli(aggregate.firstEventTime()));
        avro.setLastEventTime(Instant.ofEpochMilli(aggregate.lastEventTime()));
        avro.setErrorCount(aggregate.errorCount());
        avro.setP50(p[0]);
        avro.setP90(p[1]);
        avro.setP95(p[2]);
        avro.setP99(p[3]);
        avro.setP999(p[4]);
        avro.setSketchRelativeAccuracy(QuantileSketch.RELATIVE_ACCURACY);
        avro.setSketch(ByteBuffer.wrap(aggregate.sketch().toBytes()));
        return avro;
    }

    /** A growing byte buffer without {@link java.io.ByteArrayOutputStream}'s locking, reused per thread. */
    private static final class StateOutput extends java.io.OutputStream {
        private byte[] bytes = new byte[512];
        private int size;

        void reset() {
            size = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        void writeLong(long value) {
            ensure(Long.BYTES);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
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
