package io.rollcall.schema;

import io.rollcall.schema.BadRecordException.Reason;
import io.rollcall.schema.avro.MetricAggregate;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding ({@code C3 01}, 8-byte little-endian CRC-64-AVRO fingerprint
 * of the writer schema, Avro binary body) for a generated record class.
 *
 * <p>The reader accepts the current schema and every released writer schema of the record
 * ({@link ReleasedSchemas}) and resolves them to the current one. Anything else — wrong
 * framing, an unknown fingerprint, a truncated or garbage body — fails with a
 * {@link BadRecordException} carrying the reason; Avro's own exceptions never escape.
 *
 * <p>Instances are thread-safe: Avro's message encoder and decoder keep per-thread buffers.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    static {
        // Avro trusts length prefixes up to ~2^31 by default; a garbage "map of 2^30 entries"
        // prefix would make it allocate gigabytes before noticing the bytes ran out. These
        // limits are read once when Avro's SystemLimitException loads, so set them first.
        defaultLimit("org.apache.avro.limits.collectionItems.maxLength", 100_000);
        defaultLimit("org.apache.avro.limits.string.maxLength", 1 << 20);
        defaultLimit("org.apache.avro.limits.bytes.maxLength", 16 << 20);
        // Avro 1.12 refuses to instantiate classes it does not trust (CVE-2024-47561);
        // our generated classes are the only ones our schemas name.
        ClassSecurityValidator.ClassSecurityPredicate ours =
                cls -> cls.getName().startsWith(MetricEvent.class.getPackageName() + ".");
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
    }

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final Serializer<T> serializer = (topic, value) -> value == null ? null : serialize(value);
    private final Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : deserialize(bytes);

    private AvroSerde(Class<T> type, Schema current, List<Schema> released) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        // No copy inside Avro: serialize copies the encoder's per-thread buffer once, into its result.
        this.encoder = new BinaryMessageEncoder<>(model, current, false);
        this.decoder = new BinaryMessageDecoder<>(model, current);
        for (Schema writer : released) {
            decoder.addSchema(writer);
        }
    }

    private static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Schema current) {
        return new AvroSerde<>(type, current, ReleasedSchemas.of(current.getFullName()));
    }

    public static AvroSerde<MetricEvent> metricEvent() {
        return of(MetricEvent.class, MetricEvent.getClassSchema());
    }

    public static AvroSerde<MetricAggregate> metricAggregate() {
        return of(MetricAggregate.class, MetricAggregate.getClassSchema());
    }

    public static AvroSerde<RolloutSpec> rolloutSpec() {
        return of(RolloutSpec.class, RolloutSpec.getClassSchema());
    }

    public static AvroSerde<RolloutVerdict> rolloutVerdict() {
        return of(RolloutVerdict.class, RolloutVerdict.getClassSchema());
    }

    public byte[] serialize(T value) {
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /** Writes the single-object encoding of {@code value} to {@code out}, as {@link #serialize} returns it. */
    public void serialize(T value, OutputStream out) {
        try {
            encoder.encode(value, out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Decodes single-object bytes written with the current or a released schema.
     *
     * @throws BadRecordException for anything that is not such a record
     */
    public T deserialize(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    /** A record read from the start of a byte array, and how many bytes it took. */
    public record Leading<T>(T value, int length) {
    }

    /**
     * Decodes the single-object record at the start of {@code bytes}; what follows it is left
     * to the caller. A reader of the record alone ({@link #deserialize}, and every released
     * version) ignores such trailing bytes, which lets a store append to a published record.
     *
     * @throws BadRecordException as {@link #deserialize} does
     */
    public Leading<T> deserializeLeading(byte[] bytes) {
        // Avro decodes a message body from a stream without reading ahead, so what the stream
        // has left afterwards is exactly what follows the record.
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        try {
            T value = decoder.decode(in, null);
            return new Leading<>(value, bytes.length - in.available());
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    private BadRecordException failure(Exception e) {
        if (e instanceof MissingSchemaException) {
            return new BadRecordException(Reason.UNKNOWN_SCHEMA,
                    type.getSimpleName() + " written with an unknown schema: " + e.getMessage(), e);
        }
        if (e instanceof BadHeaderException) {
            return new BadRecordException(Reason.BAD_FRAMING,
                    "not Avro single-object encoding (" + e.getMessage() + ")", e);
        }
        // Garbage bodies surface from deep inside Avro's decoder as almost any runtime
        // exception (EOF, index out of bounds, unsupported operation, limit exceeded).
        return new BadRecordException(Reason.MALFORMED, "cannot decode " + type.getSimpleName() + ": " + describe(e), e);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        String kind = e instanceof java.io.EOFException ? "truncated" : e.getClass().getSimpleName();
        return message == null ? kind : kind + " (" + message + ")";
    }

    private static void defaultLimit(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
