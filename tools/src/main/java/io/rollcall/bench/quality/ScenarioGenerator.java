package io.rollcall.bench.quality;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The requests of a scenario's rollouts, window by window: a pure function of the seed, the
 * scenario's name, the rollout's index and the window's index, so every judge sees the very
 * same samples and a run can be repeated exactly.
 */
public final class ScenarioGenerator {

    private final long seed;
    private final long windowMs;

    public ScenarioGenerator(long seed, long windowMs) {
        this.seed = seed;
        this.windowMs = windowMs;
    }

    public WindowSamples window(Scenario scenario, int rollout, int window) {
        double phase = random(scenario, rollout, -1).nextDouble();
        SplittableRandom random = random(scenario, rollout, window);
        int requests = scenario.traffic().requests(window, phase, random);
        RoleSamples canary = role(requests, scenario.shape(), scenario.slowdown(), scenario.canaryErrorRate(), random);
        long[] canaryOffsets = offsets(requests, random);
        RoleSamples baseline = role(requests, scenario.shape(), 1, Scenarios.BASELINE_ERROR_RATE, random);
        return new WindowSamples(canary, canaryOffsets, baseline, offsets(requests, random));
    }

    private static RoleSamples role(int requests, LatencyShape shape, double slowdown, double errorRate,
                                    SplittableRandom random) {
        double[] latencies = new double[requests];
        boolean[] errors = new boolean[requests];
        for (int i = 0; i < requests; i++) {
            latencies[i] = slowdown * shape.sample(random);
            errors[i] = random.nextDouble() < errorRate;
        }
        return new RoleSamples(latencies, errors);
    }

    /** Arrival times within the window, uniform and in order. */
    private long[] offsets(int requests, SplittableRandom random) {
        long[] offsets = new long[requests];
        for (int i = 0; i < requests; i++) {
            offsets[i] = random.nextLong(windowMs);
        }
        Arrays.sort(offsets);
        return offsets;
    }

    private SplittableRandom random(Scenario scenario, int rollout, int window) {
        long state = mix(seed ^ scenario.name().hashCode());
        state = mix(state + rollout);
        return new SplittableRandom(mix(state + window));
    }

    /** MurmurHash3's 64-bit finaliser: neighbouring inputs give unrelated streams. */
    private static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93e53ca87ebL;
        h ^= h >>> 33;
        return h;
    }
}
