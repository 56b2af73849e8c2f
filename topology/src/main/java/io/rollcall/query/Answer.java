package io.rollcall.query;

/**
 * The outcome of a routed query: never null, always one of these. {@code T} is what a
 * local store answered; a forwarded answer is passed on as the owner rendered it.
 */
public sealed interface Answer<T> {

    /** Read from a store of this instance. */
    record Local<T>(T value, Served served) implements Answer<T> {
    }

    /** Answered by the owning instance (or one of its standbys); status and JSON body as it sent them. */
    record Forwarded<T>(int status, String body, String instance) implements Answer<T> {
    }

    /** The owning store is queryable and does not hold the key. */
    record NotFound<T>(Served served) implements Answer<T> {
    }

    /** Nobody can answer now (rebalancing, restoring, owner down and no standby); retry later. */
    record NotReady<T>(String reason) implements Answer<T> {

        /** A local replica of {@code partition} whose store refused the read. */
        static <T> NotReady<T> notQueryable(int partition, RuntimeException e) {
            return new NotReady<>("partition " + partition + " is not queryable here: " + e.getMessage());
        }
    }
}
