package io.rollcall.app;

import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Figures read from Kafka's own client metrics ({@code KafkaStreams.metrics()}) when
 * Prometheus scrapes: computed by the clients anyway, so reading them costs a pass over the
 * map, and they are current, where Micrometer's Kafka binder picks new ones up only once a
 * minute.
 */
final class StreamsReadings {

    /** A stream thread's main consumer; not its restore consumer, nor the global one. */
    private static final Pattern MAIN_CONSUMER = Pattern.compile(".*-StreamThread-\\d+-consumer");
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
    private static final String STATE_GROUP = "stream-state-metrics";

    private StreamsReadings() {
    }

    /**
     * Records the main consumers are behind on their assigned partitions (events, repartition
     * topics: the active tasks' input), summed; a partition not fetched yet counts 0.
     */
    static long consumerLag(Map<MetricName, ? extends Metric> metrics) {
        long lag = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("records-lag") && name.group().equals(FETCH_GROUP)
                    && name.tags().containsKey("partition")
                    && MAIN_CONSUMER.matcher(name.tags().getOrDefault("client-id", "")).matches()) {
                lag += whole(entry.getValue());
            }
        }
        return lag;
    }

    /**
     * RocksDB's estimate of the keys of {@code store} over every local replica (active and
     * standby tasks): what its {@code approximateNumEntries} answers, summed.
     */
    static long estimatedKeys(Map<MetricName, ? extends Metric> metrics, String store) {
        long keys = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("estimate-num-keys") && name.group().equals(STATE_GROUP)
                    && name.tags().entrySet().stream()
                    .anyMatch(tag -> tag.getKey().endsWith("-state-id") && tag.getValue().equals(store))) {
                keys += whole(entry.getValue());
            }
        }
        return keys;
    }

    private static long whole(Metric metric) {
        return metric.metricValue() instanceof Number n && Double.isFinite(n.doubleValue()) ? n.longValue() : 0;
    }
}
