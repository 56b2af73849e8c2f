package io.rollcall.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

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
     * What one pass over the client metrics gives: the records the main consumers are behind on
     * their assigned partitions (events, repartition topics: the active tasks' input), summed, a
     * partition not fetched yet counting 0; and by store, RocksDB's estimate of its keys over every
     * local replica (active and standby tasks), what its {@code approximateNumEntries} answers.
     */
    record Snapshot(long consumerLag, Map<String, Long> estimatedKeys) {
        long keys(String store) {
            return estimatedKeys.getOrDefault(store, 0L);
        }
    }

    static Snapshot read(Map<MetricName, ? extends Metric> metrics) {
        long lag = 0;
        Map<String, Long> keys = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("records-lag") && name.group().equals(FETCH_GROUP)
                    && name.tags().containsKey("partition")
                    && MAIN_CONSUMER.matcher(name.tags().getOrDefault("client-id", "")).matches()) {
                lag += whole(entry.getValue());
            } else if (name.name().equals("estimate-num-keys") && name.group().equals(STATE_GROUP)) {
                for (Map.Entry<String, String> tag : name.tags().entrySet()) {
                    if (tag.getKey().endsWith("-state-id")) {
                        keys.merge(tag.getValue(), whole(entry.getValue()), Long::sum);
                    }
                }
            }
        }
        return new Snapshot(lag, keys);
    }

    static long consumerLag(Map<MetricName, ? extends Metric> metrics) {
        return read(metrics).consumerLag();
    }

    static long estimatedKeys(Map<MetricName, ? extends Metric> metrics, String store) {
        return read(metrics).keys(store);
    }

    /**
     * The latest {@link Snapshot} of {@code streams}, read again once {@code maxAge} has passed:
     * a scrape asks for it once per gauge, and {@code KafkaStreams.metrics()} copies every
     * metric of every client each time.
     */
    static Supplier<Snapshot> cached(KafkaStreams streams, Duration maxAge) {
        return new Supplier<>() {
            private Snapshot snapshot;
            private long readAt;

            @Override
            public synchronized Snapshot get() {
                long now = System.nanoTime();
                if (snapshot == null || now - readAt > maxAge.toNanos()) {
                    snapshot = read(streams.metrics());
                    readAt = now;
                }
                return snapshot;
            }
        };
    }

    private static long whole(Metric metric) {
        return metric.metricValue() instanceof Number n && Double.isFinite(n.doubleValue()) ? n.longValue() : 0;
    }
}
