package io.rollcall.schema.registry;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.BadRecordException;
import io.rollcall.schema.BadRecordException.Reason;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads a value in either encoding rollcall accepts, told apart by its first byte: Avro
 * single-object encoding ({@code C3 01}, the writer schema named by its fingerprint) or the
 * Confluent wire format ({@code 00}, the writer schema named by its schema-registry id).
 * Producers of both kinds can share a topic.
 */
public final class ValueDecoder<T extends SpecificRecord> {

    private final AvroSerde<T> singleObject;
    private final Optional<RegistryDecoder<T>> registry;
    private final String registrySetting;

    /**
     * @param registry        the registry path; empty when no registry is configured
     * @param registrySetting the setting that configures one, named when a value needs it
     */
    public ValueDecoder(AvroSerde<T> singleObject, Optional<RegistryDecoder<T>> registry, String registrySetting) {
        this.singleObject = singleObject;
        this.registry = registry;
        this.registrySetting = registrySetting;
    }

    /**
     * @throws BadRecordException           for a value that is not a readable record in either encoding
     * @throws RegistryUnavailableException when the registry could not be asked for a writer schema
     */
    public T decode(byte[] value) {
        if (!ConfluentFramed.matches(value)) {
            try {
                return singleObject.deserialize(value);
            } catch (BadRecordException e) {
                if (e.reason() != Reason.BAD_FRAMING) {
                    throw e;
                }
                throw new BadRecordException(Reason.BAD_FRAMING, "neither Avro single-object encoding (C3 01) nor "
                        + "the Confluent wire format (00): " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            }
        }
        if (registry.isEmpty()) {
            ConfluentFramed framed = ConfluentFramed.parse(value);
            throw new BadRecordException(Reason.UNKNOWN_SCHEMA, "Confluent wire format with schema id "
                    + framed.schemaId() + ", but no schema registry is configured: set " + registrySetting);
        }
        return registry.get().decode(value);
    }
}
