package io.rollcall.bench;

import java.util.Optional;

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
        double remaining = 0;
        double restored = 0;
        double seconds = 0;
        boolean seen = false;
        for (String line : exposition.split("\n")) {
            if (Exposition.isSample(line, REMAINING)) {
                remaining += Exposition.value(line);
                seen = true;
            } else if (Exposition.isSample(line, RESTORED)) {
                restored += Exposition.value(line);
                seen = true;
            } else if (Exposition.isSample(line, SECONDS)) {
                seconds += Exposition.value(line);
            }
        }
        return seen ? Optional.of(new Restoring((long) remaining, (long) restored, seconds)) : Optional.empty();
    }
}
