package io.rollcall.bench.quality;

/** The requests of one role (canary or baseline) in one window: latency in ms and whether it failed. */
public record RoleSamples(double[] latencies, boolean[] errors) {

    public RoleSamples {
        if (latencies.length != errors.length) {
            throw new IllegalArgumentException("one error flag per latency: " + latencies.length + " ≠ " + errors.length);
        }
    }

    public int count() {
        return latencies.length;
    }

    public int errorCount() {
        int count = 0;
        for (boolean error : errors) {
            if (error) {
                count++;
            }
        }
        return count;
    }
}
