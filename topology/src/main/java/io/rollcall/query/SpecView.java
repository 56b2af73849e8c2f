package io.rollcall.query;

import io.rollcall.rollout.Judgement;
import io.rollcall.schema.avro.RolloutSpec;
import java.util.List;

/** A rollout spec as the HTTP API shows it: the analysis window in milliseconds, each SLO also in words. */
public record SpecView(
        String rolloutId,
        String service,
        String baselineRevision,
        String canaryRevision,
        String metric,
        List<SloView> slos,
        long analysisWindowMs,
        int minSamples,
        int failureLimit,
        int successWindows,
        double confidence,
        String startedAt) {

    /** One SLO; bounds it does not have are null. */
    public record SloView(String kind, Double quantile, Double threshold, Double maxRelativeIncrease,
                          String description) {
    }

    public static SpecView of(RolloutSpec spec) {
        List<SloView> slos = spec.getSlos().stream()
                .map(slo -> new SloView(slo.getKind().name(), slo.getQuantile(), slo.getThreshold(),
                        slo.getMaxRelativeIncrease(), Judgement.describe(slo)))
                .toList();
        return new SpecView(spec.getRolloutId(), spec.getService(), spec.getBaselineRevision(),
                spec.getCanaryRevision(), spec.getMetric(), slos, spec.getAnalysisWindow(), spec.getMinSamples(),
                spec.getFailureLimit(), spec.getSuccessWindows(), spec.getConfidence(),
                spec.getStartedAt().toString());
    }
}
