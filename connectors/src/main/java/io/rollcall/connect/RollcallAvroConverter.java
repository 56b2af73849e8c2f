package io.rollcall.connect;

import io.rollcall.schema.AvroSerde;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Value converter for rollcall's topics: reads Avro single-object encoded {@code MetricAggregate}
 * or {@code RolloutVerdict} records (any released writer schema, resolved to the current one, as
 * the app itself reads them) and gives sink connectors a Connect struct with a schema, so they
 * need no schema registry. A record that is not such an encoding raises a {@link DataException},
 * which Connect's {@code errors.tolerance=all} routes to the connector's dead-letter topic.
 *
 * <p>Configuration: {@code record} = {@code aggregate} (default) or {@code verdict}. Sink only:
 * {@link #fromConnectData} is not supported (rollcall writes these topics itself).
 */
public final class RollcallAvroConverter implements Converter {

    public static final String RECORD_CONFIG = "record";

    private static final ConfigDef CONFIG = new ConfigDef().define(RECORD_CONFIG, ConfigDef.Type.STRING, "aggregate",
            ConfigDef.ValidString.in("aggregate", "verdict"), ConfigDef.Importance.HIGH,
            "Which rollcall record the topic holds: aggregate (metric-aggregates) or verdict (rollout-verdicts).");

    private AvroSerde<? extends SpecificRecord> serde;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (isKey) {
            throw new ConfigException("RollcallAvroConverter converts values; use SeriesIdConverter or "
                    + "StringConverter for keys");
        }
        Object record = configs.get(RECORD_CONFIG);
        String kind = record == null ? "aggregate" : record.toString().strip().toLowerCase(Locale.ROOT);
        CONFIG.parse(Map.of(RECORD_CONFIG, kind));
        serde = kind.equals("verdict") ? AvroSerde.rolloutVerdict() : AvroSerde.metricAggregate();
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL; // a tombstone: the sink deletes the row if it deletes at all
        }
        try {
            Struct struct = AvroToConnect.struct(serde.deserialize(value));
            return new SchemaAndValue(struct.schema(), struct);
        } catch (RuntimeException e) { // BadRecordException among them
            throw new DataException("not a rollcall record on " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        throw new DataException("RollcallAvroConverter is for sink connectors: rollcall writes " + topic + " itself");
    }
}
