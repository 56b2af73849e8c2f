package io.rollcall.topology;

/** Names of the queryable state stores; part of the changelog topic names, so never rename. */
public final class StoreNames {

    /**
     * Timestamped key-value store: 8-byte series id → {@link io.rollcall.aggregate.SeriesState}, the
     * all-time aggregate and the newest window.
     */
    public static final String ALL_TIME = "aggregates-all-time";

    /**
     * Timestamped window store: 8-byte series id × window → windowed {@link io.rollcall.aggregate.Aggregate},
     * for every window but a series' newest, which {@link #ALL_TIME} holds.
     */
    public static final String WINDOWED = "aggregates-windowed";

    /** Global in-memory store: service → {@code RolloutSpec}, from the rollouts topic. */
    public static final String ROLLOUT_SPECS = "rollout-specs";

    /** Key-value store: service → {@code JudgeState} of its rollout. */
    public static final String ROLLOUT_JUDGES = "rollout-judges";

    /** Key-value store: service, 0, sequence → {@code RolloutVerdict}: the verdict history. */
    public static final String ROLLOUT_VERDICTS = "rollout-verdicts";

    /** In-memory key-value store: partition of the events topic → event time it has reached; not queried. */
    public static final String ROLLOUT_PROGRESS = "rollout-progress";

    /** Every store of the topology. */
    public static final java.util.List<String> ALL = java.util.List.of(ALL_TIME, WINDOWED, ROLLOUT_SPECS,
            ROLLOUT_JUDGES, ROLLOUT_VERDICTS, ROLLOUT_PROGRESS);

    /** The stores kept in RocksDB, on disk; the others are in memory. */
    public static final java.util.List<String> ON_DISK = java.util.List.of(ALL_TIME, WINDOWED, ROLLOUT_JUDGES,
            ROLLOUT_VERDICTS);

    private StoreNames() {
    }
}
