package io.rollcall.query;

import io.rollcall.schema.avro.RolloutVerdict;
import java.util.List;

/** A verdict as the HTTP API shows it; times are ISO-8601. */
public record VerdictView(
        String rolloutId,
        String service,
        String decision,
        int window,
        String windowStart,
        String windowEnd,
        boolean early,
        String decidedAt,
        int passingWindows,
        int failingWindows,
        List<ResultView> results,
        String reason) {

    /** The outcome of one SLO in the window; values the window had no events for are null. */
    public record ResultView(String slo, String outcome, Double canaryValue, Double baselineValue, Double threshold,
                             Double maxRelativeIncrease, long canarySamples, long baselineSamples, String reason) {
    }

    public static VerdictView of(RolloutVerdict verdict) {
        List<ResultView> results = verdict.getResults().stream()
                .map(r -> new ResultView(r.getSlo(), r.getOutcome().name(), r.getCanaryValue(), r.getBaselineValue(),
                        r.getThreshold(), r.getMaxRelativeIncrease(), r.getCanarySamples(), r.getBaselineSamples(),
                        r.getReason()))
                .toList();
        return new VerdictView(verdict.getRolloutId(), verdict.getService(), verdict.getDecision().name(),
                verdict.getWindow(), verdict.getWindowStart().toString(), verdict.getWindowEnd().toString(),
                verdict.getEarly(), verdict.getDecidedAt().toString(), verdict.getPassingWindows(),
                verdict.getFailingWindows(), results, verdict.getReason());
    }
}
