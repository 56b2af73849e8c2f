package io.rollcall.query;

import io.rollcall.aggregate.Aggregate;

/** The answer to "what is the aggregate of this series here?": never null, always one of these. */
public sealed interface Lookup {

    /** Served from a store of this instance. */
    record Found(Aggregate aggregate, int partition) implements Lookup {
    }

    /** The owning store is queryable and has no such series. */
    record NotFound(int partition) implements Lookup {
    }

    /** The owning store cannot answer now (rebalancing, restoring, not started); retry later. */
    record NotReady(String reason) implements Lookup {
    }
}
