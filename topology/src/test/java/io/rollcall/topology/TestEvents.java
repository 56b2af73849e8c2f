package io.rollcall.topology;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.time.Instant;
import java.util.Map;

/** Builders of events and their encoded form for topology tests. */
final class TestEvents {

    static final AvroSerde<MetricEvent> SERDE = AvroSerde.metricEvent();

    private TestEvents() {
    }

    static MetricEvent timer(long id, long timeMs, double millis, Integer status) {
        return event(id, "http.server.requests", MetricType.TIMER, timeMs, millis, status);
    }

    static MetricEvent gauge(long id, long timeMs, double value) {
        return event(id, "temperature.celsius", MetricType.GAUGE, timeMs, value, null);
    }

    static MetricEvent counter(long id, long timeMs, double value) {
        return event(id, "bytes.sent", MetricType.COUNTER, timeMs, value, null);
    }

    static MetricEvent event(long id, String name, MetricType type, long timeMs, double value, Integer status) {
        return MetricEvent.newBuilder()
                .setId(id)
                .setName(name)
                .setTimestamp(Instant.ofEpochMilli(timeMs))
                .setType(type)
                .setValue(value)
                .setStatus(status)
                .setLabels(Map.of("service", "checkout", "revision", "r1"))
                .build();
    }

    static byte[] bytes(MetricEvent event) {
        return SERDE.serialize(event);
    }
}
