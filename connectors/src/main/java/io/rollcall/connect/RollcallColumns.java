package io.rollcall.connect;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.ConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Value transformation for sinks that read rollcall's topics through a registry-aware Avro
 * converter (the Confluent wire format, {@code rollcall.registry.publish}): gives the struct the
 * columns {@link RollcallAvroConverter} gives, so both ways fill the same tables — snake_case
 * names, the series id as an unsigned Decimal, and arrays, maps and structs (a verdict's SLO
 * results) as one JSON text column, since a JDBC sink has no column type for them and fails the
 * task. A value that is not a struct passes unchanged.
 */
public final class RollcallColumns<R extends ConnectRecord<R>> implements Transformation<R> {

    private final JsonConverter json = new JsonConverter();
    private final Map<Schema, Schema> rows = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, false,
                ConverterConfig.TYPE_CONFIG, ConverterType.VALUE.getName()));
    }

    @Override
    public R apply(R record) {
        if (!(record.value() instanceof Struct value)) {
            return record;
        }
        Schema row = rows.computeIfAbsent(value.schema(), RollcallColumns::row);
        Struct out = new Struct(row);
        for (Field field : value.schema().fields()) {
            String column = AvroToConnect.column(field.name());
            out.put(column, cell(record.topic(), field, row.field(column).schema(), value.get(field)));
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(), row, out,
                record.timestamp());
    }

    private static Schema row(Schema value) {
        SchemaBuilder row = SchemaBuilder.struct().name(value.name()).version(value.version()).doc(value.doc());
        for (Field field : value.fields()) {
            Schema type = field.schema();
            SchemaBuilder column;
            if (isSeriesId(field)) {
                column = AvroToConnect.seriesId();
            } else if (isNested(type)) {
                column = SchemaBuilder.string();
            } else {
                row.field(AvroToConnect.column(field.name()), type);
                continue;
            }
            if (type.isOptional()) {
                column.optional();
            }
            row.field(AvroToConnect.column(field.name()), column.doc(type.doc()).build());
        }
        return row.build();
    }

    private Object cell(String topic, Field field, Schema column, Object value) {
        if (value == null || column == field.schema()) {
            return value;
        }
        if (isSeriesId(field)) {
            return AvroToConnect.unsigned((Long) value);
        }
        return new String(json.fromConnectData(topic, field.schema(), value), StandardCharsets.UTF_8);
    }

    private static boolean isSeriesId(Field field) {
        return field.name().equals("id") && field.schema().type() == Schema.Type.INT64;
    }

    private static boolean isNested(Schema type) {
        return type.type() == Schema.Type.ARRAY || type.type() == Schema.Type.MAP
                || type.type() == Schema.Type.STRUCT;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
        json.close();
    }
}
