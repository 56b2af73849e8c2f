package io.rollcall.bench.quality;

import java.util.List;

/**
 * One kind of rollout, run {@code rollouts} times with different seeds: the traffic, the
 * latency shape both roles share, how much slower the canary is ({@code slowdown}, 1 = as
 * fast as the baseline) and its error rate, and the targets a judge should meet on it.
 */
public record Scenario(String name, int rollouts, Traffic traffic, LatencyShape shape, double slowdown,
                       double canaryErrorRate, List<Target> targets) {

    public Scenario {
        targets = List.copyOf(targets);
    }

    public Scenario withRollouts(int rollouts) {
        return new Scenario(name, rollouts, traffic, shape, slowdown, canaryErrorRate, targets);
    }
}
