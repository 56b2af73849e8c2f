package io.rollcall.bench.quality;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Kayenta's judge, per window: a one-sided Mann-Whitney U test that the canary's latencies
 * are stochastically greater than the baseline's scaled by the allowance (× 1.1 for +10 %),
 * and a one-sided exact binomial test that the canary's error rate exceeds the threshold;
 * the window fails when either rejects at {@code alpha}.
 *
 * <p>The allowance scales the baseline rather than shifting it (U's {@code mu}) because a
 * slower release multiplies latencies; on a log scale it is the same shift for every request.
 * The U test compares whole distributions, not the p95, so it is a different question from
 * the SLO's: that difference is part of what the benchmark shows.
 */
public final class MannWhitneyJudge implements WindowJudge {

    private static final MannWhitneyUTest U_TEST = MannWhitneyUTest.withDefaults()
            .with(AlternativeHypothesis.GREATER_THAN);
    private static final BinomialTest BINOMIAL = BinomialTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN);

    private final QualitySpec spec;
    private final double alpha;

    public MannWhitneyJudge(QualitySpec spec, double alpha) {
        this.spec = spec;
        this.alpha = alpha;
    }

    @Override
    public String name() {
        return "Mann-Whitney";
    }

    @Override
    public Outcome judge(WindowSamples window) {
        if (WindowJudge.tooFew(window, spec)) {
            return Outcome.NODATA;
        }
        double[] allowed = window.baseline().latencies().clone();
        for (int i = 0; i < allowed.length; i++) {
            allowed[i] *= 1 + spec.maxLatencyIncrease();
        }
        boolean slower = U_TEST.test(window.canary().latencies(), allowed).getPValue() < alpha;
        boolean failing = BINOMIAL.test(window.canary().count(), window.canary().errorCount(), spec.maxErrorRate())
                .getPValue() < alpha;
        return slower || failing ? Outcome.FAIL : Outcome.PASS;
    }
}
