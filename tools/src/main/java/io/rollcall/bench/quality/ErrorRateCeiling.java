package io.rollcall.bench.quality;

import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.apache.commons.statistics.distribution.BinomialDistribution;

/**
 * The most any judge could do on an error-rate scenario: the share of its rollouts that the
 * most powerful test of "the canary's error rate is at most the threshold" rolls back within
 * {@code windows} windows while rolling back a canary exactly at the threshold in at most
 * α of rollouts. With n canary requests in those windows that test is the one-sided exact
 * binomial test, randomized to use all of α (Neyman-Pearson: a binomial family has a monotone
 * likelihood ratio, so no test of the same size has more power at any higher rate). It looks
 * once, at the end of the last window, and spends all of α on this one SLO: a judge that also
 * guards other SLOs, or looks earlier, can only do less. The ceiling is the average of the
 * test's power over the scenario's own rollouts (their canary counts), not a simulation.
 */
public final class ErrorRateCeiling {

    private ErrorRateCeiling() {
    }

    /** The ceiling, or empty when the scenario's canary is not failing beyond the threshold. */
    public static OptionalDouble within(Scenario scenario, QualitySpec spec, ScenarioGenerator generator, int windows,
                                        double alpha) {
        if (scenario.slowdown() != 1 || scenario.canaryErrorRate() <= spec.maxErrorRate()) {
            return OptionalDouble.empty();
        }
        return IntStream.range(0, scenario.rollouts())
                .mapToDouble(rollout -> power(IntStream.range(0, windows)
                        .map(window -> generator.window(scenario, rollout, window).canary().count()).sum(),
                        spec.maxErrorRate(), scenario.canaryErrorRate(), alpha))
                .average();
    }

    /** The power at rate {@code p1} of the size-α one-sided binomial test of rate ≤ {@code p0} over n trials. */
    static double power(int n, double p0, double p1, double alpha) {
        BinomialDistribution atBound = BinomialDistribution.of(n, p0);
        BinomialDistribution failing = BinomialDistribution.of(n, p1);
        // Reject for x > c, where c is the smallest count with P(X > c | p0) <= α; at x = c, reject
        // with the probability that spends the rest of α.
        int c = atBound.inverseSurvivalProbability(alpha);
        double rest = alpha - atBound.survivalProbability(c);
        double atC = atBound.probability(c);
        double gamma = atC > 0 ? Math.min(1, rest / atC) : 0;
        return failing.survivalProbability(c) + gamma * failing.probability(c);
    }
}
