package io.rollcall.aggregate;

import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;

/**
 * The aggregate of one series, all-time or over one window. Immutable: {@link #add} and
 * {@link #merge} return new values, so a value handed to a state store, a cache or another
 * thread can never change under it.
 *
 * <p>{@code min} and {@code max} of the empty aggregate are +∞ and −∞, not
 * {@code Double.MIN_VALUE} (the smallest positive double), so all-negative series are
 * right. {@code last} is the value of the event with the latest event time; an event with
 * an equal time replaces it, so ties go to the later arrival.
 *
 * @param id            the series; {@link SeriesId#MIN} until the first event
 * @param name          metric name of the latest event
 * @param type          metric type of the latest event; null until the first event
 * @param errorCount    TIMER events with status ≥ 500
 */
public record Aggregate(
        SeriesId id,
        String name,
        MetricType type,
        long count,
        double sum,
        double min,
        double max,
        double last,
        long firstEventTime,
        long lastEventTime,
        long errorCount,
        QuantileSketch sketch) {

    /** HTTP-like status from which a TIMER counts as an error. */
    public static final int ERROR_STATUS = 500;

    private static final Aggregate EMPTY = new Aggregate(SeriesId.MIN, "", null, 0, 0.0,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            Long.MAX_VALUE, Long.MIN_VALUE, 0, QuantileSketch.empty());

    public static Aggregate empty() {
        return EMPTY;
    }

    public static Aggregate of(MetricEvent event) {
        return EMPTY.add(event);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** A new aggregate that also counts {@code event}. */
    public Aggregate add(MetricEvent event) {
        long time = event.getTimestamp().toEpochMilli();
        double value = event.getValue();
        boolean latest = time >= lastEventTime;
        boolean error = event.getType() == MetricType.TIMER
                && event.getStatus() != null && event.getStatus() >= ERROR_STATUS;
        return new Aggregate(
                SeriesId.of(event.getId()),
                latest ? event.getName() : name,
                latest ? event.getType() : type,
                count + 1,
                sum + value,
                Math.min(min, value),
                Math.max(max, value),
                latest ? value : last,
                Math.min(firstEventTime, time),
                Math.max(lastEventTime, time),
                error ? errorCount + 1 : errorCount,
                sketch.add(value));
    }

    /** A new aggregate of the events of both, e.g. several windows of one series. */
    public Aggregate merge(Aggregate other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        boolean otherLatest = other.lastEventTime >= lastEventTime;
        return new Aggregate(
                otherLatest ? other.id : id,
                otherLatest ? other.name : name,
                otherLatest ? other.type : type,
                count + other.count,
                sum + other.sum,
                Math.min(min, other.min),
                Math.max(max, other.max),
                otherLatest ? other.last : last,
                Math.min(firstEventTime, other.firstEventTime),
                Math.max(lastEventTime, other.lastEventTime),
                errorCount + other.errorCount,
                sketch.merge(other.sketch));
    }

    /** Arithmetic mean of the values; NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Errors per event; 0 when empty. */
    public double errorRate() {
        return count == 0 ? 0.0 : (double) errorCount / count;
    }

    /**
     * The value at quantile q, within 1 % relative error; NaN when empty. Clamped to
     * [min, max]: the sketch may overshoot the extremes by up to 1 %, the truth never does.
     */
    public double quantile(double q) {
        return clamp(sketch.quantile(q));
    }

    /** {@link #quantile} for several quantiles at once, in one pass over the sketch. */
    public double[] quantiles(double... qs) {
        double[] values = sketch.quantiles(qs);
        for (int i = 0; i < values.length; i++) {
            values[i] = clamp(values[i]);
        }
        return values;
    }

    private double clamp(double estimate) {
        return Double.isNaN(estimate) ? estimate : Math.max(min, Math.min(max, estimate));
    }
}
