package io.rollcall.bench;

import java.util.Optional;

/**
 * What an instance says about restoring its stores, read from its own {@code /metrics}
 * ({@code rollcall_restore_remaining_records} and {@code rollcall_restore_records_total},
 * summed over stores).
 *
 * @param remaining changelog records still to restore (0 when nothing restores)
 * @param restored  changelog records restored since the instance started
 */
record Restoring(long remaining, long restored) {

    static final String REMAINING = "rollcall_restore_remaining_records";
    static final String RESTORED = "rollcall_restore_records_total";

    /** Sums the two metrics' samples in a Prometheus text exposition; empty when neither is in it. */
    static Optional<Restoring> parse(String exposition) {
        double remaining = 0;
        double restored = 0;
        boolean seen = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(REMAINING + "{") || line.startsWith(REMAINING + " ")) {
                remaining += value(line);
                seen = true;
            } else if (line.startsWith(RESTORED + "{") || line.startsWith(RESTORED + " ")) {
                restored += value(line);
                seen = true;
            }
        }
        return seen ? Optional.of(new Restoring((long) remaining, (long) restored)) : Optional.empty();
    }

    private static double value(String sample) {
        String[] fields = sample.substring(sample.lastIndexOf('}') + 1).trim().split("\\s+");
        return Double.parseDouble(fields[0]);
    }
}
