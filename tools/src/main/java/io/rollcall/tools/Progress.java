package io.rollcall.tools;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/** Reads progress figures from Kafka Streams' own metrics. */
final class Progress {

    private Progress() {
    }

    /** Records processed by all stream threads (source and repartition records alike). */
    static long processed(KafkaStreams streams) {
        double total = 0;
        for (var entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("process-total") && name.group().equals("stream-thread-metrics")) {
                Metric metric = entry.getValue();
                if (metric.metricValue() instanceof Number n) {
                    total += n.doubleValue();
                }
            }
        }
        return (long) total;
    }
}
