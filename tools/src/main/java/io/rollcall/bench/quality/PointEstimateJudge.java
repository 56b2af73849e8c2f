package io.rollcall.bench.quality;

import org.apache.commons.statistics.descriptive.Quantile;

/**
 * What an Argo Rollouts or Flagger analysis on Prometheus quantiles does: a window fails when
 * the canary's sample p95 exceeds the baseline's by more than the allowance, or its error
 * rate exceeds the threshold; no notion of how sure that is. The sample quantiles are exact,
 * which is kinder to this judge than histogram buckets would be.
 */
public final class PointEstimateJudge implements WindowJudge {

    private static final Quantile QUANTILE = Quantile.withDefaults();

    private final QualitySpec spec;

    public PointEstimateJudge(QualitySpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "point estimate";
    }

    @Override
    public Outcome judge(WindowSamples window) {
        if (WindowJudge.tooFew(window, spec)) {
            return Outcome.NODATA;
        }
        double canary = QUANTILE.evaluate(window.canary().latencies(), spec.quantile());
        double baseline = QUANTILE.evaluate(window.baseline().latencies(), spec.quantile());
        double errorRate = window.canary().errorCount() / (double) window.canary().count();
        boolean slower = canary > (1 + spec.maxLatencyIncrease()) * baseline;
        return slower || errorRate > spec.maxErrorRate() ? Outcome.FAIL : Outcome.PASS;
    }
}
