package io.rollcall.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.MetricAggregate;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.schema.avro.SloKind;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class ConvertersTest {

    @Test
    void anAggregateBecomesAStructWithAnUnsignedIdAndTimestamps() {
        long id = -2L; // 18446744073709551614 unsigned
        MetricAggregate aggregate = MetricAggregate.newBuilder().setId(id).setName("http.server.requests")
                .setType(MetricType.TIMER).setWindowStart(null).setWindowEnd(null).setCount(3).setSum(60.5)
                .setMin(10).setMax(30).setLast(20.5).setFirstEventTime(Instant.ofEpochMilli(1_000))
                .setLastEventTime(Instant.ofEpochMilli(2_000)).setErrorCount(1).setP50(20).setP90(30).setP95(30)
                .setP99(30).setP999(30).setSketchRelativeAccuracy(0.01).setSketch(ByteBuffer.wrap(new byte[] {1, 2}))
                .build();
        RollcallAvroConverter converter = new RollcallAvroConverter();
        converter.configure(Map.of(), false);
        SchemaAndValue converted = converter.toConnectData("metric-aggregates",
                AvroSerde.metricAggregate().serialize(aggregate));
        Struct row = (Struct) converted.value();
        row.validate();
        assertThat(converted.schema().field("id").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(row.get("id")).isEqualTo(new BigDecimal("18446744073709551614"));
        assertThat(row.get("count")).isEqualTo(3L);
        assertThat(row.get("type")).isEqualTo("TIMER");
        assertThat(converted.schema().field("last_event_time").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(row.get("last_event_time")).isEqualTo(new Date(2_000));
        assertThat(row.get("window_start")).isNull();
        assertThat(converted.schema().field("window_start").schema().isOptional()).isTrue();
        assertThat(row.getBytes("sketch")).containsExactly(1, 2);

        SchemaAndValue key = new SeriesIdConverter().toConnectData("metric-aggregates",
                ByteBuffer.allocate(8).putLong(id).array());
        assertThat(((Struct) key.value()).get("id")).isEqualTo(new BigDecimal("18446744073709551614"));
    }

    @Test
    void aVerdictKeepsItsSloResultsAsJson() {
        RolloutVerdict verdict = RolloutVerdict.newBuilder().setRolloutId("r-1").setService("checkout")
                .setDecision(Decision.ROLLBACK).setWindow(2).setWindowStart(Instant.ofEpochMilli(0))
                .setWindowEnd(Instant.ofEpochMilli(10_000)).setEarly(true).setDecidedAt(Instant.ofEpochMilli(5_000))
                .setPassingWindows(0).setFailingWindows(1).setReason("p95 over 300 ms")
                .setResults(List.of(SloResult.newBuilder().setSlo("p95 <= 300 ms").setKind(SloKind.LATENCY)
                        .setQuantile(0.95).setThreshold(300.0).setMaxRelativeIncrease(null).setCanaryValue(512.0)
                        .setBaselineValue(120.0).setCanarySamples(400).setBaselineSamples(400)
                        .setOutcome(SloOutcome.FAIL).setReason("p95 512 ms > 300 ms").build()))
                .build();
        RollcallAvroConverter converter = new RollcallAvroConverter();
        converter.configure(Map.of(RollcallAvroConverter.RECORD_CONFIG, "verdict"), false);
        Struct row = (Struct) converter.toConnectData("rollout-verdicts", AvroSerde.rolloutVerdict().serialize(verdict)).value();
        row.validate();
        assertThat(row.get("decision")).isEqualTo("ROLLBACK");
        assertThat(row.get("early")).isEqualTo(true);
        assertThat(row.getString("results")).contains("\"outcome\": \"FAIL\"").contains("\"canaryValue\": 512.0");
    }

    @Test
    void badRecordsAreDataExceptionsForTheDeadLetterTopicAndBadSettingsAreRefused() {
        RollcallAvroConverter converter = new RollcallAvroConverter();
        converter.configure(Map.of(), false);
        assertThatThrownBy(() -> converter.toConnectData("metric-aggregates", new byte[] {1, 2, 3}))
                .isInstanceOf(DataException.class).hasMessageContaining("metric-aggregates");
        assertThat(converter.toConnectData("metric-aggregates", null)).isEqualTo(SchemaAndValue.NULL);
        assertThatThrownBy(() -> new SeriesIdConverter().toConnectData("t", new byte[4])).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> new RollcallAvroConverter().configure(Map.of("record", "spec"), false))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class);
    }
}
