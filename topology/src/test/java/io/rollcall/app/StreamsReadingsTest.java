package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class StreamsReadingsTest {

    private final Map<MetricName, Metric> metrics = new HashMap<>();

    private void add(String name, String group, Map<String, String> tags, double value) {
        MetricName id = new MetricName(name, group, "", tags);
        metrics.put(id, new Metric() {
            @Override
            public MetricName metricName() {
                return id;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    private void lag(String clientId, String topic, int partition, double value) {
        add("records-lag", "consumer-fetch-manager-metrics",
                Map.of("client-id", clientId, "topic", topic, "partition", Integer.toString(partition)), value);
    }

    @Test
    void theLagIsTheSumOverTheMainConsumersPartitions() {
        lag("app-1-StreamThread-1-consumer", "events", 0, 10);
        lag("app-1-StreamThread-1-consumer", "events", 1, 5);
        lag("app-1-StreamThread-2-consumer", "app-single-writer-repartition", 0, 7);

        assertThat(StreamsReadings.consumerLag(metrics)).isEqualTo(22);
    }

    @Test
    void restoreAndGlobalConsumersDoNotCountAsLag() {
        lag("app-1-StreamThread-1-consumer", "events", 0, 3);
        lag("app-1-StreamThread-1-restore-consumer", "app-aggregates-all-time-changelog", 0, 1_000);
        lag("app-1-global-consumer", "rollouts", 0, 50);

        assertThat(StreamsReadings.consumerLag(metrics)).isEqualTo(3);
    }

    @Test
    void aPartitionNotFetchedYetCountsNothing() {
        lag("app-1-StreamThread-1-consumer", "events", 0, Double.NaN);
        lag("app-1-StreamThread-1-consumer", "events", 1, 4);
        add("records-lag-max", "consumer-fetch-manager-metrics", Map.of("client-id", "app-1-StreamThread-1-consumer"), 4);

        assertThat(StreamsReadings.consumerLag(metrics)).isEqualTo(4);
    }

    @Test
    void aStoresKeysAreSummedOverItsTasksAndNoOtherStore() {
        add("estimate-num-keys", "stream-state-metrics",
                Map.of("thread-id", "t1", "task-id", "0_0", "rocksdb-state-id", "aggregates-all-time"), 100);
        add("estimate-num-keys", "stream-state-metrics",
                Map.of("thread-id", "t1", "task-id", "0_1", "rocksdb-state-id", "aggregates-all-time"), 50);
        add("estimate-num-keys", "stream-state-metrics",
                Map.of("thread-id", "t1", "task-id", "0_0", "rocksdb-window-state-id", "aggregates-windowed"), 900);

        assertThat(StreamsReadings.estimatedKeys(metrics, "aggregates-all-time")).isEqualTo(150);
        assertThat(StreamsReadings.estimatedKeys(metrics, "aggregates-windowed")).isEqualTo(900);
        assertThat(StreamsReadings.estimatedKeys(metrics, "rollout-judges")).isZero();
    }
}
