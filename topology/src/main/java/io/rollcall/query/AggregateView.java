package io.rollcall.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.Quantiles;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An aggregate as the HTTP API shows it. Ids are unsigned decimal strings, because
 * JavaScript loses precision above 2^53; times are ISO-8601; non-finite numbers are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AggregateView(
        String id,
        String name,
        String type,
        String windowStart,
        String windowEnd,
        long count,
        Double sum,
        Double mean,
        Double min,
        Double max,
        Double last,
        String firstEventTime,
        String lastEventTime,
        long errorCount,
        Double errorRate,
        Map<String, Double> quantiles,
        String servedBy,
        Boolean stale,
        Long lagRecords) {

    public static AggregateView of(Aggregate a, Long windowStart, Long windowEnd, Served served) {
        double[] q = a.quantiles(Quantiles.published());
        Map<String, Double> quantiles = new LinkedHashMap<>();
        for (int i = 0; i < q.length; i++) {
            quantiles.put(Quantiles.publishedKeys().get(i), finite(q[i]));
        }
        return new AggregateView(
                a.id().toString(),
                a.name(),
                a.type() == null ? null : a.type().name(),
                windowStart == null ? null : Instant.ofEpochMilli(windowStart).toString(),
                windowEnd == null ? null : Instant.ofEpochMilli(windowEnd).toString(),
                a.count(),
                finite(a.sum()),
                finite(a.mean()),
                finite(a.min()),
                finite(a.max()),
                finite(a.last()),
                Instant.ofEpochMilli(a.firstEventTime()).toString(),
                Instant.ofEpochMilli(a.lastEventTime()).toString(),
                a.errorCount(),
                finite(a.errorRate()),
                quantiles,
                served == null ? null : served.instance(),
                served == null ? null : served.standby(),
                served == null ? null : served.lagRecords());
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
