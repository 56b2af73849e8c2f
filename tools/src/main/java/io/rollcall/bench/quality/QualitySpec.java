package io.rollcall.bench.quality;

import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.time.Instant;
import java.util.List;

/**
 * The rollout spec every scenario is judged against, as a user would write it
 * ({@code p95<=+10%}, {@code errors<=1%}, 10 s windows, every other field at its default),
 * and the numbers the reference judges read from it, so all three judges apply one spec.
 */
public record QualitySpec(double quantile, double maxLatencyIncrease, double maxErrorRate, long windowMs,
                          int minSamples, int failureLimit, int successWindows, double confidence) {

    public static final String BASELINE = "v1";
    public static final String CANARY = "v2";
    private static final long WINDOW_MS = 10_000;

    /** The spec of one rollout; the unset fields take the schema's defaults. */
    public static RolloutSpec rollout(String service, long startedAt) {
        return RolloutSpec.newBuilder()
                .setRolloutId(service + "-r1")
                .setService(service)
                .setBaselineRevision(BASELINE)
                .setCanaryRevision(CANARY)
                .setSlos(List.of(
                        Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(0.95).setMaxRelativeIncrease(0.1).build(),
                        Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(0.01).build()))
                .setAnalysisWindow(WINDOW_MS)
                .setStartedAt(Instant.ofEpochMilli(startedAt))
                .build();
    }

    /** The numbers of {@link #rollout}, read back from a spec rather than restated. */
    public static QualitySpec of(RolloutSpec spec) {
        Slo latency = slo(spec, SloKind.LATENCY);
        Slo errors = slo(spec, SloKind.ERROR_RATE);
        return new QualitySpec(latency.getQuantile(), latency.getMaxRelativeIncrease(), errors.getThreshold(),
                spec.getAnalysisWindow(), spec.getMinSamples(), spec.getFailureLimit(), spec.getSuccessWindows(),
                spec.getConfidence());
    }

    public static QualitySpec standard() {
        return of(rollout("any", 0));
    }

    private static Slo slo(RolloutSpec spec, SloKind kind) {
        return spec.getSlos().stream().filter(slo -> slo.getKind() == kind).findFirst().orElseThrow();
    }
}
