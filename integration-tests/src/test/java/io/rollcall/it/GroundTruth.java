package io.rollcall.it;

import io.rollcall.schema.avro.MetricEvent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

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

    synchronized void add(MetricEvent event) {
        byId.computeIfAbsent(event.getId(), id -> new Series()).add(event);
    }

    synchronized Map<Long, Series> byId() {
        return Map.copyOf(byId);
    }

    synchronized long events() {
        return byId.values().stream().mapToLong(s -> s.count).sum();
    }
}
