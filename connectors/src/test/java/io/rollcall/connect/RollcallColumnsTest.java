package io.rollcall.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Structs as a registry-aware Avro converter gives them: Avro's field names and nesting. */
class RollcallColumnsTest {

    private static final Schema RESULT = SchemaBuilder.struct().name("io.rollcall.schema.avro.SloResult")
            .field("slo", Schema.STRING_SCHEMA)
            .field("canaryValue", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();
    private static final Schema VALUE = SchemaBuilder.struct().name("io.rollcall.schema.avro.Example")
            .field("id", Schema.INT64_SCHEMA)
            .field("lastEventTime", Timestamp.SCHEMA)
            .field("windowStart", Timestamp.builder().optional().build())
            .field("results", SchemaBuilder.array(RESULT).build())
            .build();

    private final RollcallColumns<SinkRecord> columns = new RollcallColumns<>();

    @BeforeEach
    void configure() {
        columns.configure(Map.of());
    }

    @AfterEach
    void close() {
        columns.close();
    }

    @Test
    void fieldNamesBecomeTheSnakeCaseColumnsOfTheSingleObjectWay() {
        Struct row = row(example());
        assertThat(row.schema().fields()).extracting(f -> f.name())
                .containsExactly("id", "last_event_time", "window_start", "results");
        assertThat(row.get("last_event_time")).isEqualTo(new Date(2_000));
        assertThat(row.schema().field("window_start").schema().isOptional()).isTrue();
    }

    @Test
    void theSeriesIdBecomesAnUnsignedDecimal() {
        Struct row = row(example());
        assertThat(row.schema().field("id").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(row.get("id")).isEqualTo(new BigDecimal("18446744073709551615"));
    }

    @Test
    void nestedResultsBecomeOneJsonTextColumn() {
        Struct row = row(example());
        assertThat(row.schema().field("results").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(row.getString("results")).isEqualTo("[{\"slo\":\"error rate <= 1%\",\"canaryValue\":null}]");
    }

    @Test
    void aTombstonePassesUnchanged() {
        SinkRecord tombstone = new SinkRecord("metric-aggregates", 0, null, "key", null, null, 7);
        assertThat(columns.apply(tombstone)).isSameAs(tombstone);
    }

    private Struct row(Struct value) {
        Struct row = (Struct) columns.apply(new SinkRecord("rollout-verdicts", 0, null, null, VALUE, value, 7)).value();
        row.validate();
        return row;
    }

    private static Struct example() {
        return new Struct(VALUE).put("id", -1L).put("lastEventTime", new Date(2_000))
                .put("results", List.of(new Struct(RESULT).put("slo", "error rate <= 1%")));
    }
}
