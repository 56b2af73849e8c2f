package io.rollcall.schema.registry;

import io.rollcall.schema.BadRecordException;
import io.rollcall.schema.BadRecordException.Reason;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads Confluent-framed values ({@link ConfluentFramed}) into a generated record class: the
 * writer schema comes from the registry by the id the value carries, and Avro schema
 * resolution reads it into the current schema — a writer with extra fields, or without fields
 * the reader has defaults for, is read. What a registry says about an id never changes, so
 * each id's reader is built once and kept (up to {@code maxSchemas} ids, the least recently
 * used dropped first). An id the registry does not have is remembered as unknown for
 * {@code unknownTtl} — it may be registered later, but a producer writing it must not cost
 * a registry request per record.
 *
 * <p>Bad data fails with a {@link BadRecordException}: {@code unknown-schema} when the registry
 * has no such id, {@code incompatible-schema} when the writer schema cannot be read as the
 * current one, {@code bad-framing}, {@code malformed}. A registry that cannot be asked is not
 * bad data: {@link RegistryUnavailableException} passes through, and the value can be read
 * again later.
 */
public final class RegistryDecoder<T extends SpecificRecord> {

    /** An id's writer schema as the reader sees it: a way to read it, or why there is none. */
    private sealed interface Resolved<T> {
    }

    private record Readable<T>(DatumReader<T> reader) implements Resolved<T> {
    }

    private record Incompatible<T>(String why) implements Resolved<T> {
    }

    private final WriterSchemas schemas;
    private final Schema current;
    private final SpecificData model;
    private final Cache<Integer, Resolved<T>> byId;
    private final Cache<Integer, String> unknown;

    public RegistryDecoder(Class<T> type, Schema current, WriterSchemas schemas, int maxSchemas, Duration unknownTtl) {
        this(type, current, schemas, maxSchemas, unknownTtl, Ticker.systemTicker());
    }

    /** @param ticker the clock unknown ids expire by */
    RegistryDecoder(Class<T> type, Schema current, WriterSchemas schemas, int maxSchemas, Duration unknownTtl,
                    Ticker ticker) {
        this.schemas = schemas;
        this.current = current;
        this.model = SpecificData.getForClass(type);
        // Evictions run on the calling thread: a stream thread, rather than a pool's.
        this.byId = Caffeine.newBuilder().maximumSize(maxSchemas).executor(Runnable::run).build();
        this.unknown = Caffeine.newBuilder().maximumSize(maxSchemas).expireAfterWrite(unknownTtl).ticker(ticker)
                .executor(Runnable::run).build();
    }

    /**
     * @throws BadRecordException           for a value that is not a readable record of the current schema
     * @throws RegistryUnavailableException when the registry could not be asked for the writer schema
     */
    public T decode(byte[] value) {
        ConfluentFramed framed = ConfluentFramed.parse(value);
        Resolved<T> resolved = byId.getIfPresent(framed.schemaId());
        if (resolved == null) {
            resolved = resolve(framed.schemaId());
            byId.put(framed.schemaId(), resolved);
        }
        if (resolved instanceof Incompatible<T> incompatible) {
            throw new BadRecordException(Reason.INCOMPATIBLE_SCHEMA, "writer schema " + framed.schemaId()
                    + " cannot be read as " + current.getFullName() + ": " + incompatible.why());
        }
        return read(((Readable<T>) resolved).reader(), framed);
    }

    private Resolved<T> resolve(int id) {
        String known = unknown.getIfPresent(id);
        if (known != null) {
            throw new BadRecordException(Reason.UNKNOWN_SCHEMA, known);
        }
        Schema writer;
        try {
            writer = schemas.byId(id);
        } catch (UnknownSchemaIdException e) {
            unknown.put(id, e.getMessage());
            throw new BadRecordException(Reason.UNKNOWN_SCHEMA, e.getMessage(), e);
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
        if (compatibility.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return new Readable<>(new SpecificDatumReader<>(writer, current, model));
        }
        return new Incompatible<>(compatibility.getResult().getIncompatibilities().stream()
                .map(i -> i.getMessage() + " at " + i.getLocation())
                .collect(Collectors.joining("; ")));
    }

    private T read(DatumReader<T> reader, ConfluentFramed framed) {
        ByteBuffer body = framed.body();
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(body.array(), body.arrayOffset() + body.position(), body.remaining(), null);
        try {
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new BadRecordException(Reason.MALFORMED, "bytes left after the record of schema "
                        + framed.schemaId());
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadRecordException bad) {
                throw bad;
            }
            throw new BadRecordException(Reason.MALFORMED, "cannot decode the body of schema " + framed.schemaId()
                    + ": " + (e instanceof java.io.EOFException ? "truncated" : e.toString()), e);
        }
    }
}
