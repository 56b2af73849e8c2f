package io.rollcall.connect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Avro records as Connect structs that JDBC sinks can write as rows: timestamp-millis become
 * Connect Timestamps, enums strings, nullable unions optional fields, series ids (the {@code id}
 * of a record in {@code io.rollcall.schema.avro}, unsigned 64-bit) a {@code Decimal} with scale 0
 * so that a database keeps ids ≥ 2^63 exact and in order, and nested arrays, maps and records
 * one JSON text column (a row has no room for a list of SLO results). Field names become
 * snake_case column names; some are reserved words in SQL ({@code window}), so the connector
 * configurations quote identifiers.
 */
final class AvroToConnect {

    /** Connect schema of an unsigned 64-bit id: NUMERIC(20,0) in a database. */
    static final Schema SERIES_ID = seriesId().build();

    private static final Map<org.apache.avro.Schema, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private AvroToConnect() {
    }

    static Schema schema(org.apache.avro.Schema avro) {
        return SCHEMAS.computeIfAbsent(avro, AvroToConnect::build);
    }

    private static Schema build(org.apache.avro.Schema avro) {
        SchemaBuilder struct = SchemaBuilder.struct().name(avro.getFullName());
        for (org.apache.avro.Schema.Field field : avro.getFields()) {
            struct.field(column(field.name()), field(field));
        }
        return struct.build();
    }

    private static Schema field(org.apache.avro.Schema.Field field) {
        org.apache.avro.Schema type = field.schema();
        boolean optional = false;
        if (type.getType() == org.apache.avro.Schema.Type.UNION) {
            List<org.apache.avro.Schema> branches = type.getTypes().stream()
                    .filter(b -> b.getType() != org.apache.avro.Schema.Type.NULL).toList();
            optional = branches.size() < type.getTypes().size();
            type = branches.size() == 1 ? branches.get(0) : type;
        }
        SchemaBuilder builder;
        if (field.name().equals("id") && type.getType() == org.apache.avro.Schema.Type.LONG) {
            builder = seriesId();
        } else if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            builder = Timestamp.builder();
        } else {
            builder = switch (type.getType()) {
                case BOOLEAN -> SchemaBuilder.bool();
                case INT -> SchemaBuilder.int32();
                case LONG -> SchemaBuilder.int64();
                case FLOAT -> SchemaBuilder.float32();
                case DOUBLE -> SchemaBuilder.float64();
                case BYTES, FIXED -> SchemaBuilder.bytes();
                default -> SchemaBuilder.string(); // strings, enums; arrays, maps, records as JSON
            };
        }
        if (optional) {
            builder.optional();
        }
        if (field.doc() != null) {
            builder.doc(field.doc());
        }
        return builder.build();
    }

    static SchemaBuilder seriesId() {
        return Decimal.builder(0).parameter("connect.decimal.precision", "20");
    }

    static Struct struct(IndexedRecord record) {
        Schema schema = schema(record.getSchema());
        Struct struct = new Struct(schema);
        for (org.apache.avro.Schema.Field field : record.getSchema().getFields()) {
            String column = column(field.name());
            struct.put(column, value(schema.field(column).schema(), record.get(field.pos())));
        }
        return struct;
    }

    private static Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            return unsigned((Long) value);
        }
        if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
            return value instanceof java.time.Instant instant ? Date.from(instant) : new Date((Long) value);
        }
        return switch (schema.type()) {
            case BOOLEAN, INT32, INT64, FLOAT32, FLOAT64 -> value;
            case BYTES -> value instanceof ByteBuffer buffer ? bytes(buffer) : value;
            default -> value instanceof CharSequence || value instanceof Enum<?> || value instanceof GenericData.EnumSymbol
                    ? value.toString() : GenericData.get().toString(value);
        };
    }

    /** The column for an Avro field: snake_case ({@code lastEventTime} → {@code last_event_time}), as SQL users expect. */
    static String column(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    static BigDecimal unsigned(long bits) {
        BigInteger value = BigInteger.valueOf(bits >>> 1).shiftLeft(1).or(BigInteger.valueOf(bits & 1));
        return new BigDecimal(value);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
