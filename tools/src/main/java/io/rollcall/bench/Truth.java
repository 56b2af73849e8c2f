package io.rollcall.bench;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.avro.MetricEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Count and sum of every series id in a stream of events: what an engine's all-time aggregates must show. */
final class Truth {

    private final Map<Long, double[]> sums = new HashMap<>();

    void add(MetricEvent event) {
        double[] sum = sums.computeIfAbsent(event.getId(), id -> new double[2]);
        sum[0]++;
        sum[1] += event.getValue();
    }

    /** Whether {@code actual} counted exactly the events of {@code id}: none lost, none twice. */
    boolean matches(long id, Aggregate actual) {
        double[] expected = sums.get(id);
        return expected != null && actual.count() == (long) expected[0]
                && Math.abs(actual.sum() - expected[1]) <= 1e-9 * Math.max(1, Math.abs(expected[1]));
    }

    /** Ids with events that {@code seen} lacks. */
    int missing(Set<Long> seen) {
        return (int) sums.keySet().stream().filter(id -> !seen.contains(id)).count();
    }

    /** Ids of {@code found} that do not match, plus ids it lacks. */
    int wrong(Map<Long, Aggregate> found) {
        int wrong = (int) found.entrySet().stream().filter(e -> !matches(e.getKey(), e.getValue())).count();
        return wrong + missing(found.keySet());
    }

    int ids() {
        return sums.size();
    }
}
