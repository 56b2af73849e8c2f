package io.rollcall.bench.quality;

import java.util.random.RandomGenerator;

/** How request latencies are distributed, in milliseconds; a canary's slowdown scales every draw. */
public sealed interface LatencyShape {

    double sample(RandomGenerator random);

    /** Log-normal with the given median: p95 ≈ median × e^(1.645 σ). */
    record Lognormal(double medianMs, double sigma) implements LatencyShape {
        @Override
        public double sample(RandomGenerator random) {
            return medianMs * Math.exp(sigma * random.nextGaussian());
        }
    }

    /**
     * Mostly log-normal, with a share of Pareto-distributed stragglers (shape {@code alpha},
     * from {@code tailFromMs} on): the tail that retries, GC pauses and cold caches give.
     */
    record HeavyTailed(Lognormal body, double tailShare, double tailFromMs, double alpha) implements LatencyShape {
        @Override
        public double sample(RandomGenerator random) {
            if (random.nextDouble() < tailShare) {
                return tailFromMs / Math.pow(1 - random.nextDouble(), 1 / alpha);
            }
            return body.sample(random);
        }
    }

    /** Two populations, e.g. cache hits and misses: {@code slowShare} of requests from {@code slow}. */
    record Bimodal(Lognormal fast, Lognormal slow, double slowShare) implements LatencyShape {
        @Override
        public double sample(RandomGenerator random) {
            return random.nextDouble() < slowShare ? slow.sample(random) : fast.sample(random);
        }
    }
}
