package io.rollcall.log;

/**
 * Lines that Kafka logs back to back for one event, told apart by time: a line more than the
 * window after the first line of the current burst starts a new one. Measured from the first
 * line, not the last, so that a condition that goes on still gets a line per window.
 */
final class Bursts {

    private final long windowMillis;
    private long start = Long.MIN_VALUE;

    Bursts(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Whether a line at {@code timeMillis} starts a burst (else it belongs to the current one). */
    synchronized boolean starts(long timeMillis) {
        if (start != Long.MIN_VALUE && timeMillis - start < windowMillis && timeMillis >= start) {
            return false;
        }
        start = timeMillis;
        return true;
    }
}
