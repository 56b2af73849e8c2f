package io.rollcall.rollout;

/** Canary and baseline of one analysis window. Immutable. */
public record WindowStats(RoleStats canary, RoleStats baseline) {

    private static final WindowStats EMPTY = new WindowStats(RoleStats.empty(), RoleStats.empty());

    public static WindowStats empty() {
        return EMPTY;
    }

    public WindowStats add(Sample sample) {
        return sample.role() == Role.CANARY
                ? new WindowStats(canary.add(sample.latencyMs(), sample.error()), baseline)
                : new WindowStats(canary, baseline.add(sample.latencyMs(), sample.error()));
    }
}
