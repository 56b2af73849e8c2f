package io.rollcall.rollout;

import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges one analysis window against a rollout's SLOs. Pure: the same spec and window
 * always give the same results, so every rule is testable without Kafka.
 *
 * <p>An SLO fails only on evidence, at the spec's confidence c: a lower confidence bound of
 * the canary's measure exceeds the threshold, or exceeds (1 + r) × the baseline's upper bound
 * in the same window for a relative SLO (maxRelativeIncrease r). Each kind of {@link SloRule}
 * has its measure and bounds: a Wilson bound of the error rate ({@link ErrorRateSlo}), an
 * order-statistic bound of a latency quantile ({@link LatencySlo}).
 * With fewer than {@code minSamples} canary requests (or baseline requests, for a relative
 * SLO) the SLO has no data rather than a result.
 */
public final class Judgement {

    /** How a window came out. */
    public enum Outcome {
        PASS, FAIL, NODATA
    }

    /** The per-SLO results and the window's outcome: FAIL if any failed, else NODATA if any lacked data. */
    public record Result(List<SloResult> slos, Outcome outcome) {

        public List<SloResult> failed() {
            return slos.stream().filter(r -> r.getOutcome() == SloOutcome.FAIL).toList();
        }
    }

    private Judgement() {
    }

    public static Result judge(RolloutSpec spec, WindowStats window, double confidence) {
        List<SloResult> results = new ArrayList<>();
        for (Slo slo : spec.getSlos()) {
            results.add(judge(spec, slo, window, confidence));
        }
        Outcome outcome = Outcome.PASS;
        for (SloResult result : results) {
            if (result.getOutcome() == SloOutcome.FAIL) {
                outcome = Outcome.FAIL;
                break;
            }
            if (result.getOutcome() == SloOutcome.NODATA) {
                outcome = Outcome.NODATA;
            }
        }
        return new Result(List.copyOf(results), outcome);
    }

    static SloResult judge(RolloutSpec spec, Slo definition, WindowStats window, double confidence) {
        SloRule slo = SloRule.of(definition);
        RoleStats canary = window.canary();
        RoleStats baseline = window.baseline();
        SloResult.Builder result = SloResult.newBuilder()
                .setSlo(slo.describe())
                .setKind(definition.getKind())
                .setQuantile(definition.getQuantile())
                .setThreshold(definition.getThreshold())
                .setMaxRelativeIncrease(definition.getMaxRelativeIncrease())
                .setCanaryValue(valueOf(slo, canary))
                .setBaselineValue(valueOf(slo, baseline))
                .setCanarySamples(canary.count())
                .setBaselineSamples(baseline.count());
        int min = spec.getMinSamples();
        if (canary.count() < min) {
            return result.setOutcome(SloOutcome.NODATA)
                    .setReason(String.format(Locale.ROOT, "canary has %s, fewer than %,d", requests(canary.count()), min))
                    .build();
        }
        if (slo.threshold().isEmpty() && baseline.count() < min) {
            return result.setOutcome(SloOutcome.NODATA)
                    .setReason(String.format(Locale.ROOT, "baseline has %s, fewer than %,d", requests(baseline.count()), min))
                    .build();
        }
        double canaryLow = slo.lowerBound(canary, confidence);
        List<String> passed = new ArrayList<>();
        if (slo.threshold().isPresent()) {
            Check check = absolute(slo, slo.threshold().getAsDouble(), canary, canaryLow, confidence);
            if (check.failed()) {
                return result.setOutcome(SloOutcome.FAIL).setReason(check.reason()).build();
            }
            passed.add(check.reason());
        }
        if (slo.maxRelativeIncrease().isPresent()) {
            if (baseline.count() < min) {
                passed.add(String.format(Locale.ROOT, "baseline has %s, too few to compare", requests(baseline.count())));
            } else {
                Check check = relative(slo, slo.maxRelativeIncrease().getAsDouble(), canary, baseline, canaryLow,
                        confidence);
                if (check.failed()) {
                    return result.setOutcome(SloOutcome.FAIL).setReason(check.reason()).build();
                }
                passed.add(check.reason());
            }
        }
        return result.setOutcome(SloOutcome.PASS).setReason(String.join("; ", passed)).build();
    }

    /** One bound of an SLO checked: failed, or passed, and why. */
    private record Check(boolean failed, String reason) {
    }

    private static Check absolute(SloRule slo, double threshold, RoleStats canary, double canaryLow, double confidence) {
        String name = slo.name();
        double point = slo.value(canary);
        if (canaryLow > threshold) {
            return new Check(true, String.format(Locale.ROOT,
                    "canary %s %s > %s over %s (lower bound %s at %s confidence)", name, format(slo, point),
                    format(slo, threshold), requests(canary.count()), format(slo, canaryLow),
                    SloNumbers.confidence(confidence)));
        }
        return new Check(false, point > threshold
                ? String.format(Locale.ROOT, "canary %s %s above %s, but not conclusively over %s (lower bound %s)",
                        name, format(slo, point), format(slo, threshold), requests(canary.count()),
                        format(slo, canaryLow))
                : String.format(Locale.ROOT, "canary %s %s <= %s over %s", name, format(slo, point),
                        format(slo, threshold), requests(canary.count())));
    }

    private static Check relative(SloRule slo, double allowed, RoleStats canary, RoleStats baseline, double canaryLow,
            double confidence) {
        String name = slo.name();
        double point = slo.value(canary);
        double baselinePoint = slo.value(baseline);
        double limit = (1 + allowed) * slo.upperBound(baseline, confidence);
        String allowance = SloNumbers.percent(allowed);
        if (canaryLow > limit) {
            return new Check(true, String.format(Locale.ROOT,
                    "canary %s %s > baseline %s +%s over %s and %s (bounds %s > %s at %s confidence)", name,
                    format(slo, point), format(slo, baselinePoint), allowance, requests(canary.count()),
                    requests(baseline.count()), format(slo, canaryLow), format(slo, limit),
                    SloNumbers.confidence(confidence)));
        }
        return new Check(false, point > (1 + allowed) * baselinePoint
                ? String.format(Locale.ROOT, "canary %s %s above baseline %s +%s, but not conclusively over %s "
                        + "and %s (bounds %s <= %s)", name, format(slo, point), format(slo, baselinePoint), allowance,
                        requests(canary.count()), requests(baseline.count()), format(slo, canaryLow),
                        format(slo, limit))
                : String.format(Locale.ROOT, "canary %s %s within baseline %s +%s", name, format(slo, point),
                        format(slo, baselinePoint), allowance));
    }

    private static Double valueOf(SloRule slo, RoleStats stats) {
        return stats.count() == 0 ? null : slo.value(stats);
    }

    /** The SLO in words, e.g. "p95 <= 320 ms", "error rate <= 1 % and <= baseline +50 %". */
    public static String describe(Slo slo) {
        return SloRule.of(slo).describe();
    }

    private static String format(SloRule slo, double value) {
        return Double.isNaN(value) ? "n/a" : slo.format(value);
    }

    private static String requests(long n) {
        return SloNumbers.requests(n);
    }
}
