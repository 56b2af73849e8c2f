package io.rollcall.rollout;

/**
 * The event time one partition of the events topic has reached, as its sampler sees it: the
 * newest event time seen, never ahead of the wall clock (a producer's clock running ahead
 * must not close windows early). A partition that has delivered nothing for {@code idleMs}
 * counts as caught up, so its event time follows the wall clock, {@code idleMs} behind: a
 * quiet partition does not hold windows open, while one working through a backlog — whose
 * events keep coming, stamped in the past — does. Not thread-safe; one per sampler task.
 */
final class PartitionProgress {

    private final long idleMs;
    private long newest = Long.MIN_VALUE;
    private long lastEventAt;

    /** @param now wall-clock time the partition was taken on; it counts as an event for idleness */
    PartitionProgress(long idleMs, long now) {
        this.idleMs = idleMs;
        this.lastEventAt = now;
    }

    void saw(long eventTime, long now) {
        newest = Math.max(newest, eventTime);
        lastEventAt = now;
    }

    /** The event time reached at wall-clock {@code now}; {@link Long#MIN_VALUE} while nothing is known. */
    long reached(long now) {
        long reached = Math.min(newest, now);
        if (now - lastEventAt >= idleMs) {
            reached = Math.max(reached, now - idleMs);
        }
        return reached;
    }
}
