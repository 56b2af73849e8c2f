package io.rollcall.rollout;

import io.rollcall.aggregate.QuantileSketch;

/**
 * What one analysis window knows of one role: how many requests, how many failed, and a
 * sketch of their latencies. Immutable, like every aggregate in rollcall.
 */
public record RoleStats(long count, long errors, QuantileSketch sketch) {

    private static final RoleStats EMPTY = new RoleStats(0, 0, QuantileSketch.empty());

    public static RoleStats empty() {
        return EMPTY;
    }

    public RoleStats add(double latencyMs, boolean error) {
        return new RoleStats(count + 1, error ? errors + 1 : errors, sketch.add(latencyMs));
    }

    public double errorRate() {
        return count == 0 ? Double.NaN : (double) errors / count;
    }

    /** The sample quantile, within the sketch's 1 % relative error; NaN when empty. */
    public double quantile(double q) {
        return count == 0 ? Double.NaN : sketch.quantile(q);
    }
}
