package io.rollcall.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The two questions the scale benchmark asks of a consumer group's lag, sampled about once a
 * second: from when on did it stop growing, and from when on did it stay under a bound. Both
 * look ahead a whole window, so a single quiet sample in a climb does not count.
 */
final class LagTrend {

    /** One sample: when ({@link System#nanoTime()}), the lag in records and the committed offsets' sum. */
    record Sample(long atNanos, long lag, long committed) {
    }

    private LagTrend() {
    }

    /**
     * The first sample at or after {@code fromNanos} that no later sample exceeds by more than
     * {@code tolerance}, with later samples covering at least {@code window}: a lag that only
     * paused in its climb (in a rebalance, say) has not stopped growing. Empty when none is.
     */
    static Optional<Sample> stoppedGrowing(List<Sample> samples, long fromNanos, long tolerance, Duration window) {
        Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        long highestLater = Long.MIN_VALUE;
        Sample found = null;
        // From the newest back: a sample qualifies when the highest lag after it stays within its tolerance.
        for (int i = samples.size() - 1; i >= 0 && samples.get(i).atNanos() >= fromNanos; i--) {
            Sample candidate = samples.get(i);
            if (last.atNanos() - candidate.atNanos() >= window.toNanos()
                    && highestLater <= candidate.lag() + tolerance) {
                found = candidate;
            }
            highestLater = Math.max(highestLater, candidate.lag());
        }
        return Optional.ofNullable(found);
    }

    /**
     * The first sample of the first stretch, at or after {@code fromNanos}, in which every
     * sample is at most {@code bound} and whose last sample is at least {@code window} after
     * its first. Empty when there is none (yet).
     */
    static Optional<Sample> underFor(List<Sample> samples, long fromNanos, long bound, Duration window) {
        Sample first = null;
        for (Sample sample : samples) {
            if (sample.atNanos() < fromNanos) {
                continue;
            }
            if (sample.lag() > bound) {
                first = null;
                continue;
            }
            first = first == null ? sample : first;
            if (sample.atNanos() - first.atNanos() >= window.toNanos()) {
                return Optional.of(first);
            }
        }
        return Optional.empty();
    }

    /** The newest sample taken at or before {@code atNanos}, if any. */
    static Optional<Sample> at(List<Sample> samples, long atNanos) {
        return samples.stream().filter(s -> s.atNanos() <= atNanos).reduce((older, newer) -> newer);
    }

    /** Events per second committed from sample {@code from} to sample {@code to}; 0 when they are one. */
    static double committedRate(Sample from, Sample to) {
        double seconds = (to.atNanos() - from.atNanos()) / 1e9;
        return seconds <= 0 ? 0 : (to.committed() - from.committed()) / seconds;
    }

    /** The largest lag sampled in [{@code fromNanos}, {@code toNanos}], 0 when none was. */
    static long max(List<Sample> samples, long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.atNanos() >= fromNanos && s.atNanos() <= toNanos)
                .mapToLong(Sample::lag).max().orElse(0);
    }
}
