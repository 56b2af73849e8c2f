package io.rollcall.rollout;

import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges one analysis window against a rollout's SLOs. Pure: the same spec and window
 * always give the same results, so every rule is testable without Kafka.
 *
 * <p>An SLO fails only on evidence, at the spec's confidence c:
 * <ul>
 *   <li>error rate: the lower Wilson bound of the canary's error rate exceeds the threshold;
 *   <li>latency quantile q: a lower confidence bound of the canary's q-quantile (the
 *       sample quantile at rank q − z·√(q(1−q)/n)) exceeds the threshold;
 *   <li>relative to the baseline of the same window (maxRelativeIncrease r): the canary's
 *       lower bound exceeds (1 + r) × the baseline's upper bound.
 * </ul>
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

    static SloResult judge(RolloutSpec spec, Slo slo, WindowStats window, double confidence) {
        RoleStats canary = window.canary();
        RoleStats baseline = window.baseline();
        boolean latency = slo.getKind() == SloKind.LATENCY;
        double q = latency ? slo.getQuantile() : Double.NaN;
        SloResult.Builder result = SloResult.newBuilder()
                .setSlo(describe(slo))
                .setKind(slo.getKind())
                .setQuantile(slo.getQuantile())
                .setThreshold(slo.getThreshold())
                .setMaxRelativeIncrease(slo.getMaxRelativeIncrease())
                .setCanaryValue(valueOf(canary, slo))
                .setBaselineValue(valueOf(baseline, slo))
                .setCanarySamples(canary.count())
                .setBaselineSamples(baseline.count());
        boolean relative = slo.getMaxRelativeIncrease() != null;
        int min = spec.getMinSamples();
        if (canary.count() < min) {
            return result.setOutcome(SloOutcome.NODATA)
                    .setReason(String.format(Locale.ROOT, "canary has %s, fewer than %,d", requests(canary.count()), min))
                    .build();
        }
        if (relative && baseline.count() < min && slo.getThreshold() == null) {
            return result.setOutcome(SloOutcome.NODATA)
                    .setReason(String.format(Locale.ROOT, "baseline has %s, fewer than %,d", requests(baseline.count()), min))
                    .build();
        }
        String name = latency ? quantileName(q) : "error rate";
        double point = valueOf(canary, slo);
        double canaryLow = latency
                ? canary.quantile(Confidence.quantileRankLower(q, canary.count(), confidence))
                : Confidence.wilsonLower(canary.errors(), canary.count(), confidence);
        List<String> passed = new ArrayList<>();
        if (slo.getThreshold() != null) {
            double threshold = slo.getThreshold();
            if (canaryLow > threshold) {
                return result.setOutcome(SloOutcome.FAIL).setReason(String.format(Locale.ROOT,
                        "canary %s %s > %s over %s (lower bound %s at %s confidence)", name, format(point, latency),
                        format(threshold, latency), requests(canary.count()), format(canaryLow, latency),
                        confidenceText(confidence))).build();
            }
            passed.add(point > threshold
                    ? String.format(Locale.ROOT, "canary %s %s above %s, but not conclusively over %s (lower bound %s)",
                            name, format(point, latency), format(threshold, latency), requests(canary.count()),
                            format(canaryLow, latency))
                    : String.format(Locale.ROOT, "canary %s %s <= %s over %s", name, format(point, latency),
                            format(threshold, latency), requests(canary.count())));
        }
        if (relative) {
            double allowed = slo.getMaxRelativeIncrease();
            if (baseline.count() < min) {
                passed.add(String.format(Locale.ROOT, "baseline has %s, too few to compare", requests(baseline.count())));
            } else {
                double baselinePoint = valueOf(baseline, slo);
                double baselineHigh = latency
                        ? baseline.quantile(Confidence.quantileRankUpper(q, baseline.count(), confidence))
                        : Confidence.wilsonUpper(baseline.errors(), baseline.count(), confidence);
                double limit = (1 + allowed) * baselineHigh;
                if (canaryLow > limit) {
                    return result.setOutcome(SloOutcome.FAIL).setReason(String.format(Locale.ROOT,
                            "canary %s %s > baseline %s +%s over %s and %s (bounds %s > %s at %s confidence)", name,
                            format(point, latency), format(baselinePoint, latency), percent(allowed),
                            requests(canary.count()), requests(baseline.count()), format(canaryLow, latency),
                            format(limit, latency), confidenceText(confidence))).build();
                }
                passed.add(point > (1 + allowed) * baselinePoint
                        ? String.format(Locale.ROOT, "canary %s %s above baseline %s +%s, but not conclusively over %s "
                                + "and %s (bounds %s <= %s)", name, format(point, latency),
                                format(baselinePoint, latency), percent(allowed), requests(canary.count()),
                                requests(baseline.count()), format(canaryLow, latency), format(limit, latency))
                        : String.format(Locale.ROOT, "canary %s %s within baseline %s +%s", name,
                                format(point, latency), format(baselinePoint, latency), percent(allowed)));
            }
        }
        return result.setOutcome(SloOutcome.PASS).setReason(String.join("; ", passed)).build();
    }

    private static Double valueOf(RoleStats stats, Slo slo) {
        if (stats.count() == 0) {
            return null;
        }
        return slo.getKind() == SloKind.LATENCY ? stats.quantile(slo.getQuantile()) : stats.errorRate();
    }

    /** The SLO in words, e.g. "p95 <= 320 ms", "error rate <= 1 % and <= baseline +50 %". */
    public static String describe(Slo slo) {
        boolean latency = slo.getKind() == SloKind.LATENCY;
        String name = latency ? quantileName(slo.getQuantile()) : "error rate";
        List<String> bounds = new ArrayList<>();
        if (slo.getThreshold() != null) {
            bounds.add("<= " + format(slo.getThreshold(), latency));
        }
        if (slo.getMaxRelativeIncrease() != null) {
            bounds.add("<= baseline +" + percent(slo.getMaxRelativeIncrease()));
        }
        return name + " " + String.join(" and ", bounds);
    }

    /** 0.95 → "p95", 0.999 → "p99.9", 0.5 → "p50". */
    public static String quantileName(double q) {
        String digits = new java.math.BigDecimal(Double.toString(q * 100)).stripTrailingZeros().toPlainString();
        return "p" + digits;
    }

    private static String format(double value, boolean latency) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return latency ? milliseconds(value) : percent(value);
    }

    static String milliseconds(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%,.0f ms", ms)
                : ms >= 10 ? String.format(Locale.ROOT, "%.1f ms", ms)
                : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    static String percent(double fraction) {
        double p = fraction * 100;
        String digits = p >= 10 || p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p)
                : p >= 1 ? String.format(Locale.ROOT, "%.1f", p) : String.format(Locale.ROOT, "%.2f", p);
        return digits + " %";
    }

    /** 0.95 → "95 %", 0.9995 → "99.95 %": every digit, since 99.95 % is not 100 %. */
    static String confidenceText(double confidence) {
        return new java.math.BigDecimal(Double.toString(confidence * 100)).setScale(4, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + " %";
    }

    private static String requests(long n) {
        return String.format(Locale.ROOT, "%,d request%s", n, n == 1 ? "" : "s");
    }
}
