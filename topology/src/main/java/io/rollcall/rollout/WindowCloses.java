package io.rollcall.rollout;

import io.rollcall.schema.avro.RolloutSpec;
import java.util.Collection;

/**
 * When analysis windows close: window {@code k} of a rollout closes once the stream has passed
 * {@code startedAt + (k + 1) · analysisWindow + grace} on every partition of the events topic.
 */
final class WindowCloses {

    private WindowCloses() {
    }

    /** The event time the stream must pass for window {@code index} of {@code spec} to close. */
    static long closesAt(RolloutSpec spec, long index, long graceMs) {
        return spec.getStartedAt().toEpochMilli() + (index + 1) * spec.getAnalysisWindow() + graceMs;
    }

    /** Whether a window of any of {@code specs} closes in the event time (after, upTo]. */
    static boolean anyBetween(Collection<RolloutSpec> specs, long after, long upTo, long graceMs) {
        for (RolloutSpec spec : specs) {
            long window = spec.getAnalysisWindow();
            long index = Math.max(0, Math.floorDiv(after - closesAt(spec, 0, graceMs), window) + 1);
            if (closesAt(spec, index, graceMs) <= upTo) {
                return true;
            }
        }
        return false;
    }
}
