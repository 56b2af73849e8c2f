package io.rollcall.topology;

import io.rollcall.schema.KeyPartitioner;
import static io.rollcall.topology.TestEvents.bytes;
import static io.rollcall.topology.TestEvents.counter;
import static io.rollcall.topology.TestEvents.gauge;
import static io.rollcall.topology.TestEvents.timer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.query.SeriesWindows;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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

    private SeriesState state(long id) {
        KeyValueStore<byte[], ValueAndTimestamp<SeriesState>> store = driver.getTimestampedKeyValueStore(StoreNames.ALL_TIME);
        ValueAndTimestamp<SeriesState> value = store.get(SeriesId.of(id).toBytes());
        return value == null ? null : value.value();
    }

    private Aggregate allTime(long id) {
        SeriesState state = state(id);
        return state == null ? null : state.allTime();
    }

    /** The windows of a series as queries see them, by start. */
    private NavigableMap<Long, Aggregate> windows(long id, long from, long to) {
        return SeriesWindows.between(driver.<byte[], Aggregate>getTimestampedWindowStore(StoreNames.WINDOWED),
                SeriesId.of(id), state(id), Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
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
        return List.copyOf(windows(id, from, to).keySet());
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

        NavigableMap<Long, Aggregate> windows = windows(5, windowStart - 60_000, windowStart + 60_000);

        assertThat(windows.keySet()).containsExactly(windowStart - 60_000, windowStart, windowStart + 60_000);
        assertThat(windows.values()).extracting(Aggregate::sum).containsExactly(1.0, 6.0, 8.0);
        assertThat(allTime(5).sum()).isEqualTo(15.0);
    }

    @Test
    void aSeriesNewestWindowIsKeptInItsStateUntilTheSeriesMovesOnToALaterWindow() {
        start(1);
        send(counter(3, T0, 1));   // the task's first window, written at once
        send(counter(4, T0, 1));
        send(counter(4, T0 + 1_000, 2));
        WindowStore<byte[], ValueAndTimestamp<Aggregate>> store = driver.getTimestampedWindowStore(StoreNames.WINDOWED);

        assertThat(state(4).newest()).map(window -> window.aggregate().count()).contains(2L);
        assertThat(store.fetch(SeriesId.of(4).toBytes(), T0)).as("not in the window store yet").isNull();

        send(counter(4, T0 + 60_000, 4));

        assertThat(store.fetch(SeriesId.of(4).toBytes(), T0).value().sum()).isEqualTo(3.0);
        assertThat(state(4).newest()).map(SeriesState.Window::start).contains(T0 + 60_000);
    }

    @Test
    void eachCommitLogsOneStateRecordPerSeriesAndAWindowOnlyWhenItsSeriesMovesOn() {
        start(1);
        TestOutputTopic<byte[], byte[]> states = driver.createOutputTopic("topology-test-aggregates-all-time-changelog",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TestOutputTopic<byte[], byte[]> windowed = driver.createOutputTopic(
                "topology-test-aggregates-windowed-changelog", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        send(counter(3, T0, 1));   // the task's first window, written at once
        states.readRecordsToList();
        windowed.readRecordsToList();
        // The test driver commits after every record.
        send(counter(4, T0, 1));
        send(counter(4, T0 + 1_000, 2));
        send(counter(4, T0 + 2_000, 4));

        assertThat(states.getQueueSize()).isEqualTo(3);
        assertThat(windowed.getQueueSize()).isZero();

        send(counter(4, T0 + 60_000, 8));

        assertThat(windowed.getQueueSize()).isEqualTo(1);
    }

    @Test
    void theFirstWindowATaskStartsIsInTheWindowStoreAtOnceSoACleanRestartFindsItsChangelogOffset() {
        start(1);
        send(counter(4, T0, 1));

        assertThat(driver.<byte[], Aggregate>getTimestampedWindowStore(StoreNames.WINDOWED)
                .fetch(SeriesId.of(4).toBytes(), T0).value().sum()).isEqualTo(1.0);
    }

    @Test
    void anEventForAnEarlierWindowStillOpenIsCountedInThatWindow() {
        start(1);
        send(counter(8, T0 + 60_000, 1));
        send(counter(8, T0 + 59_000, 2));   // out of order, its window still open (grace 30 s)
        send(counter(8, T0 + 30_000, 4));

        assertThat(windows(8, T0, T0 + 60_000)).extractingFromEntries(e -> e.getKey(), e -> e.getValue().sum())
                .containsExactly(tuple(T0, 6.0),
                        tuple(T0 + 60_000, 1.0));
    }

    @Test
    void aStateWithoutItsNewestWindowContinuesTheWindowTheWindowStoreHolds() {
        start(1);
        byte[] key = SeriesId.of(12).toBytes();
        // As a release that kept every window in the window store left a series.
        driver.<byte[], SeriesState>getTimestampedKeyValueStore(StoreNames.ALL_TIME)
                .put(key, ValueAndTimestamp.make(SeriesState.of(Aggregate.of(counter(12, T0, 5))), T0));
        driver.<byte[], Aggregate>getTimestampedWindowStore(StoreNames.WINDOWED)
                .put(key, ValueAndTimestamp.make(Aggregate.of(counter(12, T0, 5)), T0), T0);

        send(counter(12, T0 + 1_000, 1));

        assertThat(windows(12, T0, T0).get(T0).sum()).isEqualTo(6.0);
        assertThat(allTime(12).sum()).isEqualTo(6.0);
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
        KeyValueStore<byte[], ValueAndTimestamp<SeriesState>> store = driver.getTimestampedKeyValueStore(StoreNames.ALL_TIME);
        List<String> order = new ArrayList<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> order.add(SeriesId.fromBytes(kv.key).toString()));
        }
        assertThat(order).containsExactly("0", "1", "9223372036854775807", "9223372036854775808",
                "18446744073709551615");
    }

}
