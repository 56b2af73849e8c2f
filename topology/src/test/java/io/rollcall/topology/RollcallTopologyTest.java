package io.rollcall.topology;

import io.rollcall.schema.KeyPartitioner;
import static io.rollcall.topology.TestEvents.bytes;
import static io.rollcall.topology.TestEvents.counter;
import static io.rollcall.topology.TestEvents.gauge;
import static io.rollcall.topology.TestEvents.timer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollcallTopologyTest {

    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    private static final long BIG_ID = Long.parseUnsignedLong("18446744073709551615");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> aggregates;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(int partitions) {
        RollcallConfig config = RollcallConfig.of(Map.of(
                "bootstrap.servers", "unused:9092",
                "rollcall.state.dir", stateDir.toString()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(RollcallTopology.build(config, partitions, java.util.Optional.empty(),
                new io.rollcall.metrics.PipelineMetrics(meters)), props);
        events = driver.createInputTopic("metric-events", new ByteArraySerializer(), new ByteArraySerializer());
        aggregates = driver.createOutputTopic("metric-aggregates", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void send(MetricEvent event) {
        events.pipeInput(SeriesId.of(event.getId()).toBytes(), bytes(event), event.getTimestamp().toEpochMilli());
    }

    private Aggregate allTime(long id) {
        KeyValueStore<byte[], ValueAndTimestamp<Aggregate>> store = driver.getTimestampedKeyValueStore(StoreNames.ALL_TIME);
        ValueAndTimestamp<Aggregate> value = store.get(SeriesId.of(id).toBytes());
        return value == null ? null : value.value();
    }

    @Test
    void aSingleEventIsItsOwnCountSumMinMaxLastAndEveryQuantile() {
        start(1);
        send(timer(BIG_ID, T0, 120.0, 200));

        Aggregate agg = allTime(BIG_ID);

        assertThat(agg.id()).isEqualTo(SeriesId.MAX);
        assertThat(agg.count()).isEqualTo(1);
        assertThat(agg.sum()).isEqualTo(120.0);
        assertThat(agg.min()).isEqualTo(120.0);
        assertThat(agg.max()).isEqualTo(120.0);
        assertThat(agg.last()).isEqualTo(120.0);
        assertThat(agg.firstEventTime()).isEqualTo(T0);
        assertThat(agg.lastEventTime()).isEqualTo(T0);
        assertThat(agg.errorCount()).isZero();
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
            assertThat(agg.quantile(q)).isCloseTo(120.0, within(1.2));
        }
    }

    @Test
    void allNegativeGaugesKeepNegativeMaxAndMin() {
        start(1);
        send(gauge(7, T0, -3.5));
        send(gauge(7, T0 + 1, -12.25));
        send(gauge(7, T0 + 2, -0.5));

        Aggregate agg = allTime(7);

        assertThat(agg.max()).isEqualTo(-0.5);
        assertThat(agg.min()).isEqualTo(-12.25);
        assertThat(agg.sum()).isEqualTo(-16.25);
        assertThat(agg.last()).isEqualTo(-0.5);
        assertThat(agg.quantile(0.5)).isCloseTo(-3.5, within(0.035));
    }

    @Test
    void outOfOrderEventsKeepTheLatestEventTimeAsLastAndTheEarliestAsFirst() {
        start(1);
        send(gauge(9, T0 + 5_000, 50));
        send(gauge(9, T0 + 1_000, 10));
        send(gauge(9, T0 + 9_000, 90));
        send(gauge(9, T0 + 3_000, 30));

        Aggregate agg = allTime(9);

        assertThat(agg.count()).isEqualTo(4);
        assertThat(agg.last()).as("value of the latest event time, not the latest arrival").isEqualTo(90);
        assertThat(agg.firstEventTime()).isEqualTo(T0 + 1_000);
        assertThat(agg.lastEventTime()).isEqualTo(T0 + 9_000);
    }

    @Test
    void countsTimerErrorsFromStatus500ButNotOtherStatusesOrOtherTypes() {
        start(1);
        send(timer(3, T0, 10, 200));
        send(timer(3, T0, 10, 499));
        send(timer(3, T0, 10, 500));
        send(timer(3, T0, 10, 503));
        send(timer(3, T0, 10, null));

        Aggregate agg = allTime(3);
        assertThat(agg.count()).isEqualTo(5);
        assertThat(agg.errorCount()).isEqualTo(2);
        assertThat(agg.errorRate()).isEqualTo(0.4);
    }

    private List<Long> windowStarts(long id, long from, long to) {
        WindowStore<byte[], ValueAndTimestamp<Aggregate>> store = driver.getTimestampedWindowStore(StoreNames.WINDOWED);
        List<Long> starts = new ArrayList<>();
        try (WindowStoreIterator<ValueAndTimestamp<Aggregate>> it = store.fetch(SeriesId.of(id).toBytes(),
                Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))) {
            it.forEachRemaining(kv -> starts.add(kv.key));
        }
        return starts;
    }

    @Test
    void anEventAfterItsWindowClosedCountsAllTimeButNotInTheWindow() {
        start(1);
        send(counter(6, T0 + 10 * 60_000, 1));
        send(counter(6, T0 + 10_000, 2));   // its window [T0, T0+1m) closed at T0+1m30s
        send(counter(6, T0 + 9 * 60_000 + 1, 4)); // within grace of the newest event

        assertThat(allTime(6).count()).isEqualTo(3);
        assertThat(windowStarts(6, T0 - 60_000, T0 + 20 * 60_000)).containsExactly(T0 + 9 * 60_000, T0 + 10 * 60_000);
    }

    @Test
    void anEventAfterItsWindowClosedIsCountedAsLateAndAsAggregated() {
        start(1);
        send(counter(6, T0 + 10 * 60_000, 1));
        send(counter(6, T0 + 10_000, 2));
        send(counter(6, T0 + 9 * 60_000 + 1, 4));

        assertThat(meters.get("rollcall.events.late").counter().count()).isEqualTo(1);
        assertThat(meters.get("rollcall.events.aggregated").counter().count()).isEqualTo(3);
    }

    @Test
    void aDeadLetteredRecordFarAheadDoesNotCloseWindows() {
        start(1);
        long farAhead = System.currentTimeMillis() + 2 * 24 * 3_600_000L;
        send(counter(7, farAhead, 1));  // dead-lettered: beyond rollcall.event.max-future
        send(counter(7, T0, 2));

        assertThat(allTime(7).count()).isEqualTo(1);
        assertThat(windowStarts(7, T0 - 60_000, T0 + 60_000)).containsExactly(T0);
    }

    @Test
    void eventsOnEitherSideOfAWindowBoundaryLandInDifferentWindows() {
        start(1);
        long windowStart = T0; // T0 is a whole minute
        send(counter(5, windowStart - 1, 1));
        send(counter(5, windowStart, 2));
        send(counter(5, windowStart + 59_999, 4));
        send(counter(5, windowStart + 60_000, 8));

        WindowStore<byte[], ValueAndTimestamp<Aggregate>> store = driver.getTimestampedWindowStore(StoreNames.WINDOWED);
        List<KeyValue<Long, Aggregate>> windows = new ArrayList<>();
        try (WindowStoreIterator<ValueAndTimestamp<Aggregate>> it = store.fetch(SeriesId.of(5).toBytes(),
                Instant.ofEpochMilli(windowStart - 60_000), Instant.ofEpochMilli(windowStart + 60_000))) {
            it.forEachRemaining(kv -> windows.add(KeyValue.pair(kv.key, kv.value.value())));
        }

        assertThat(windows).extracting(kv -> kv.key)
                .containsExactly(windowStart - 60_000, windowStart, windowStart + 60_000);
        assertThat(windows).extracting(kv -> kv.value.sum()).containsExactly(1.0, 6.0, 8.0);
        assertThat(allTime(5).sum()).isEqualTo(15.0);
    }

    @Test
    void writesEveryNewAllTimeValueToTheAggregatesTopicAsAvro() {
        start(1);
        send(gauge(11, T0, 1));
        send(gauge(11, T0 + 1, 2));

        List<KeyValue<byte[], byte[]>> out = aggregates.readKeyValuesToList();

        assertThat(out).hasSize(2);
        assertThat(SeriesId.fromBytes(out.get(1).key)).isEqualTo(SeriesId.of(11));
        Aggregate latest = AggregateCodec.serde().deserializer().deserialize("metric-aggregates", out.get(1).value);
        assertThat(latest.count()).isEqualTo(2);
        assertThat(latest.sum()).isEqualTo(3.0);
    }

    @Test
    void reroutesRecordsThatArriveOffTheirPartitionAndStillCountEveryEvent() {
        // The test driver reads every input from partition 0; with 8 partitions most ids
        // belong elsewhere and take the repartition hop.
        start(8);
        long misplaced = 0;
        for (long id = 1; id <= 50; id++) {
            if (KeyPartitioner.partition(SeriesId.of(id).toBytes(), 8) != 0) {
                misplaced++;
            }
            for (int i = 0; i < 3; i++) {
                send(counter(id, T0 + i, id));
            }
        }

        assertThat(misplaced).isGreaterThan(30);
        assertThat(driver.producedTopicNames()).contains("topology-test-single-writer-repartition");
        for (long id = 1; id <= 50; id++) {
            Aggregate agg = allTime(id);
            assertThat(agg.count()).as("count of id %d", id).isEqualTo(3);
            assertThat(agg.sum()).as("sum of id %d", id).isEqualTo(3.0 * id);
        }
    }

    @Test
    void keepsAggregatesAcrossIdsInUnsignedOrder() {
        start(1);
        long[] ids = {0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, -1L};
        for (long id : ids) {
            send(gauge(id, T0, 1));
        }
        KeyValueStore<byte[], ValueAndTimestamp<Aggregate>> store = driver.getTimestampedKeyValueStore(StoreNames.ALL_TIME);
        List<String> order = new ArrayList<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> order.add(SeriesId.fromBytes(kv.key).toString()));
        }
        assertThat(order).containsExactly("0", "1", "9223372036854775807", "9223372036854775808",
                "18446744073709551615");
    }

}
