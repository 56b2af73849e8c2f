package io.rollcall.connect;

import io.rollcall.schema.SeriesId;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Key converter for {@code metric-aggregates}: the 8-byte big-endian series id as a struct with
 * one field {@code id}, an unsigned Decimal (NUMERIC(20,0)), so a JDBC sink can use it as the
 * primary key ({@code primary.key.mode=record_key}) and ids ≥ 2^63 stay exact.
 */
public final class SeriesIdConverter implements Converter {

    static final Schema KEY = SchemaBuilder.struct().name("io.rollcall.SeriesIdKey")
            .field("id", AvroToConnect.SERIES_ID).build();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null || value.length != Long.BYTES) {
            throw new DataException("a series id key is 8 bytes, big-endian; got "
                    + (value == null ? "null" : value.length + " bytes") + " on " + topic);
        }
        Struct key = new Struct(KEY).put("id", AvroToConnect.unsigned(SeriesId.fromBytes(value).bits()));
        return new SchemaAndValue(KEY, key);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        throw new DataException("SeriesIdConverter is for sink connectors");
    }
}
