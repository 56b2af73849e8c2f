package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.schema.avro.MetricEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Expected aggregates computed independently of rollcall's code: plain arithmetic over
 * every event sent, and exact quantiles from the sorted values.
 */
final class GroundTruth {

    static final class Series {
        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long errors;
        double[] values = new double[8];

        void add(MetricEvent event) {
            double v = event.getValue();
            if (count == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[(int) count] = v;
            count++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (event.getStatus() != null && event.getStatus() >= 500) {
                errors++;
            }
        }

        /** The exact value at rank floor(q * (n - 1)), the rank DDSketch's guarantee refers to. */
        double quantile(double q) {
            double[] sorted = Arrays.copyOf(values, (int) count);
            Arrays.sort(sorted);
            return sorted[(int) Math.floor(q * (count - 1))];
        }
    }

    private final Map<Long, Series> byId = new HashMap<>();
    /** Per series, per one-minute window start (epoch ms): count and sum. */
    private final Map<Long, Map<Long, double[]>> windows = new HashMap<>();

    /**
     * Produces {@code events} workload events over {@code series} ids to the config's events
     * topic and returns their ground truth; fails unless every event was acknowledged.
     */
    static GroundTruth produce(RollcallConfig config, int events, int series, long seed) {
        return produce(config, events, series, seed, 0, new GroundTruth());
    }

    /** As above at {@code rate} events/s (0: as fast as possible), adding to {@code truth} as it goes. */
    static GroundTruth produce(RollcallConfig config, int events, int series, long seed, long rate, GroundTruth truth) {
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            LoadGenerator generator = new LoadGenerator(producer,
                    new LoadGenerator.Settings(config.eventsTopic(), rate, events, series, seed), Clock.systemUTC())
                    .tap(truth::add);
            generator.run();
            assertThat(generator.awaitAcks(Duration.ofSeconds(60))).as("every event acknowledged").isTrue();
            assertThat(generator.failed()).as("failed sends").isZero();
        }
        return truth;
    }

    synchronized void add(MetricEvent event) {
        byId.computeIfAbsent(event.getId(), id -> new Series()).add(event);
        long start = Math.floorDiv(event.getTimestamp().toEpochMilli(), WINDOW_MS) * WINDOW_MS;
        double[] window = windows.computeIfAbsent(event.getId(), id -> new HashMap<>())
                .computeIfAbsent(start, s -> new double[2]);
        window[0]++;
        window[1] += event.getValue();
    }

    static final long WINDOW_MS = 60_000;

    /** Window start → {count, sum} of one series. */
    synchronized Map<Long, double[]> windowsOf(long id) {
        Map<Long, double[]> copy = new HashMap<>();
        windows.getOrDefault(id, Map.of()).forEach((start, cs) -> copy.put(start, cs.clone()));
        return copy;
    }

    synchronized Map<Long, Series> byId() {
        return Map.copyOf(byId);
    }

    synchronized long events() {
        return byId.values().stream().mapToLong(s -> s.count).sum();
    }
}
