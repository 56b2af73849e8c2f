package io.rollcall.bench;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What an instance says about restoring its stores, read from its own {@code /metrics}
 * ({@code rollcall_restore_remaining_records} and {@code rollcall_restore_records_total},
 * summed over stores, and {@code rollcall_restore_seconds_total}).
 *
 * @param remaining changelog records still to restore (0 when nothing restores)
 * @param restored  changelog records restored since the instance started
 * @param seconds   seconds since the instance started during which it restored
 */
record Restoring(long remaining, long restored, double seconds) {

    static final String REMAINING = "rollcall_restore_remaining_records";
    static final String RESTORED = "rollcall_restore_records_total";
    static final String SECONDS = "rollcall_restore_seconds_total";

    /** Sums the metrics' samples in a Prometheus text exposition; empty when neither record count is in it. */
    static Optional<Restoring> parse(String exposition) {
        OptionalDouble remaining = Exposition.sum(exposition, REMAINING);
        OptionalDouble restored = Exposition.sum(exposition, RESTORED);
        if (remaining.isEmpty() && restored.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Restoring((long) remaining.orElse(0), (long) restored.orElse(0),
                Exposition.sum(exposition, SECONDS).orElse(0)));
    }
}
