package io.rollcall.rollout;

/** Canary and baseline of one analysis window. Immutable. */
public record WindowStats(RoleStats canary, RoleStats baseline) {

    private static final WindowStats EMPTY = new WindowStats(RoleStats.empty(), RoleStats.empty());

    public static WindowStats empty() {
        return EMPTY;
    }

    /** Whether the window had no traffic at all, of either role. */
    public boolean isEmpty() {
        return canary.count() == 0 && baseline.count() == 0;
    }

    public WindowStats add(Sample sample) {
        return sample.role() == Role.CANARY
                ? new WindowStats(canary.add(sample.latencyMs(), sample.error()), baseline)
                : new WindowStats(canary, baseline.add(sample.latencyMs(), sample.error()));
    }
}
