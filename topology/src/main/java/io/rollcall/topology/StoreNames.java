package io.rollcall.topology;

/** Names of the queryable state stores; part of the changelog topic names, so never rename. */
public final class StoreNames {

    /** Timestamped key-value store: 8-byte series id → all-time {@link io.rollcall.aggregate.Aggregate}. */
    public static final String ALL_TIME = "aggregates-all-time";

    /** Timestamped window store: 8-byte series id × window → windowed {@link io.rollcall.aggregate.Aggregate}. */
    public static final String WINDOWED = "aggregates-windowed";

    private StoreNames() {
    }
}
