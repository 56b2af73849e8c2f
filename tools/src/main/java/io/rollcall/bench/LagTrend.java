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
     * The first sample at or after {@code fromNanos} that no sample within the following
     * {@code window} exceeds by more than {@code tolerance}; a candidate counts only once
     * samples reach the end of its window. Empty when none does (yet).
     */
    static Optional<Sample> stoppedGrowing(List<Sample> samples, long fromNanos, long tolerance, Duration window) {
        for (int i = 0; i < samples.size(); i++) {
            Sample candidate = samples.get(i);
            if (candidate.atNanos() < fromNanos) {
                continue;
            }
            long windowEnd = candidate.atNanos() + window.toNanos();
            boolean exceeded = false;
            boolean covered = false;
            for (int j = i + 1; j < samples.size() && !exceeded && !covered; j++) {
                Sample later = samples.get(j);
                exceeded = later.lag() > candidate.lag() + tolerance;
                covered = later.atNanos() >= windowEnd;
            }
            if (covered && !exceeded) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
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

    /** The lag of the newest sample taken at or before {@code atNanos}, 0 when there is none. */
    static long at(List<Sample> samples, long atNanos) {
        return samples.stream().filter(s -> s.atNanos() <= atNanos).reduce((older, newer) -> newer)
                .map(Sample::lag).orElse(0L);
    }

    /** The largest lag sampled in [{@code fromNanos}, {@code toNanos}], 0 when none was. */
    static long max(List<Sample> samples, long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.atNanos() >= fromNanos && s.atNanos() <= toNanos)
                .mapToLong(Sample::lag).max().orElse(0);
    }
}
