package io.rollcall.schema.registry;

import io.rollcall.schema.BadRecordException;
import io.rollcall.schema.BadRecordException.Reason;
import java.nio.ByteBuffer;

/**
 * A value in the Confluent wire format, as schema-registry serializers write it: magic byte
 * {@code 0}, the writer schema's registry id as a 4-byte big-endian integer, then the Avro
 * binary body.
 *
 * @param schemaId the writer schema's id in the registry
 * @param body     the Avro binary body, positioned at its start
 */
public record ConfluentFramed(int schemaId, ByteBuffer body) {

    public static final byte MAGIC = 0;
    /** Magic byte and schema id. */
    public static final int HEADER_BYTES = 5;

    /** Whether {@code value} starts as the Confluent wire format does. */
    public static boolean matches(byte[] value) {
        return value.length > 0 && value[0] == MAGIC;
    }

    /** Bytes before the body in single-object encoding: marker {@code C3 01} and the 8-byte fingerprint. */
    private static final int SINGLE_OBJECT_HEADER_BYTES = 10;

    /**
     * The same record in the Confluent wire format: {@code singleObject}'s body behind magic
     * byte 0 and {@code schemaId} (the id of the writer schema the single-object fingerprint names).
     */
    public static byte[] fromSingleObject(int schemaId, byte[] singleObject) {
        int body = singleObject.length - SINGLE_OBJECT_HEADER_BYTES;
        return ByteBuffer.allocate(HEADER_BYTES + body).put(MAGIC).putInt(schemaId)
                .put(singleObject, SINGLE_OBJECT_HEADER_BYTES, body).array();
    }

    /** @throws BadRecordException when the value is shorter than the header or has another magic byte */
    public static ConfluentFramed parse(byte[] value) {
        if (!matches(value) || value.length < HEADER_BYTES) {
            throw new BadRecordException(Reason.BAD_FRAMING, "not the Confluent wire format: "
                    + (matches(value) ? value.length + " bytes, shorter than the 5-byte header"
                    : "magic byte " + (value.length == 0 ? "missing" : String.format("0x%02X", value[0]))));
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        buffer.get();
        int id = buffer.getInt();
        return new ConfluentFramed(id, buffer.slice());
    }
}
