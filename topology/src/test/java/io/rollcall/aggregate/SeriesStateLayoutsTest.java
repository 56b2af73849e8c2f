package io.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.golden.GoldenFixtures;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricAggregate;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The all-time store's values, as written by released code and by today's. Fixtures, written
 * once and never regenerated, both of series 42 after the four events of {@link #EVENTS}:
 * <ul>
 *   <li>{@code SeriesState-released.bin}: by rollcall 0.1.0 (its own jars), whose all-time store
 *       held the all-time {@code MetricAggregate} alone;</li>
 *   <li>{@code SeriesState-window1.bin}: by the code that introduced window layout 1, with the
 *       newest window [T0 + 60 s, T0 + 120 s) after the all-time aggregate.</li>
 * </ul>
 */
class SeriesStateLayoutsTest {

    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    private static final MetricEvent[] EVENTS = {timer(T0, 7.5, 200), timer(T0 + 60_000, 12.5, 200),
            timer(T0 + 61_000, 20.0, 503), timer(T0 + 62_000, 5.0, 200)};

    private final Serde<SeriesState> serde = AggregateCodec.stateSerde(AggregateCodec.sharedSerde());

    private static MetricEvent timer(long time, double value, int status) {
        return MetricEvent.newBuilder().setId(42).setName("http.server.requests").setType(MetricType.TIMER)
                .setTimestamp(Instant.ofEpochMilli(time)).setValue(value).setStatus(status)
                .setLabels(Map.of("service", "checkout")).build();
    }

    private static SeriesState written() {
        Aggregate allTime = Aggregate.empty();
        SeriesState.Window window = SeriesState.Window.empty(T0 + 60_000);
        for (MetricEvent event : EVENTS) {
            allTime = allTime.add(event);
            long time = event.getTimestamp().toEpochMilli();
            if (time >= window.start()) {
                window = window.add(event, time);
            }
        }
        return new SeriesState(allTime, Optional.of(window));
    }

    private SeriesState read(String fixture) {
        return serde.deserializer().deserialize("t", GoldenFixtures.bytes(fixture));
    }

    @Test
    void todaysCodeWritesTheCurrentLayoutByteForByte() {
        assertThat(serde.serializer().serialize("t", written()))
                .as("a change here is a new layout: add a WINDOW_FORMAT and a fixture, keep reading this one")
                .isEqualTo(GoldenFixtures.bytes("SeriesState-window1.bin"));
    }

    @Test
    void theCurrentLayoutReadsToTheAllTimeAggregateItWasWrittenWith() {
        Aggregate allTime = read("SeriesState-window1.bin").allTime();

        assertThat(allTime.count()).isEqualTo(4);
        assertThat(allTime.sum()).isEqualTo(45.0);
        assertThat(allTime.errorCount()).isEqualTo(1);
        assertThat(allTime.lastEventTime()).isEqualTo(T0 + 62_000);
    }

    @Test
    void theCurrentLayoutReadsToTheNewestWindowItWasWrittenWith() {
        SeriesState.Window window = read("SeriesState-window1.bin").newest().orElseThrow();

        assertThat(window.start()).isEqualTo(T0 + 60_000);
        assertThat(window.timestamp()).isEqualTo(T0 + 62_000);
        assertThat(window.aggregate().count()).isEqualTo(3);
        assertThat(window.aggregate().sum()).isEqualTo(37.5);
        assertThat(window.aggregate().quantile(0.5)).isEqualTo(written().newest().orElseThrow().aggregate().quantile(0.5));
    }

    @Test
    void aReaderOfMetricAggregateAloneReadsTheAllTimeAggregateOfTheCurrentLayout() {
        // Every released reader decodes the all-time store's values this way, and so do tools
        // that read the changelog as MetricAggregate: the window after it is ignored.
        MetricAggregate read = AvroSerde.metricAggregate().deserialize(GoldenFixtures.bytes("SeriesState-window1.bin"));

        assertThat(read.getCount()).isEqualTo(4);
        assertThat(read.getSum()).isEqualTo(45.0);
        assertThat(read.getWindowStart()).isNull();
    }

    @Test
    void aReleasedValueWithoutAWindowReadsAsASeriesWithoutANewestWindow() {
        SeriesState state = read("SeriesState-released.bin");

        assertThat(state.newest()).isEmpty();
        assertThat(state.allTime().count()).isEqualTo(4);
        assertThat(state.allTime().sum()).isEqualTo(45.0);
    }

    @Test
    void anUnknownLayoutAfterTheAllTimeAggregateIsRefusedNamingTheLayoutThisReleaseReads() {
        byte[] released = GoldenFixtures.bytes("SeriesState-released.bin");
        byte[] later = Arrays.copyOf(released, released.length + 17);
        later[released.length] = 2;

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", later))
                .hasMessageContaining("unknown layout 2")
                .hasMessageContaining("reads layout 1");
    }
}
