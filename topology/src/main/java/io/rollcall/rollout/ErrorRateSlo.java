package io.rollcall.rollout;

import io.rollcall.rollout.SpecValidator.Problem;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The canary's error rate (the fraction of requests with status >= 500): at most a threshold,
 * at most a fraction above the baseline's, or both. Effects are differences of rates:
 * p̂c − T against a threshold T, with the binomial variance at the bound, T(1−T)/nc (the
 * variance if the SLO just holds); p̂c − (1 + r)·p̂b against the baseline with allowance r,
 * with the two-sample variance at the bound as well: the rates estimated as if the canary
 * failed exactly (1 + r) times as often as the baseline, p̃b = (xc + xb + 1)/((1 + r)·nc + nb + 2)
 * (smoothed so that windows without errors still have one) and p̃c = (1 + r)·p̃b, give
 * p̃c(1−p̃c)/nc + (1+r)²·p̃b(1−p̃b)/nb. A rate pooled as if both failed equally often would
 * understate the canary's variance whenever it has far fewer requests than the baseline.
 * Against a threshold strictly between 0 and 1, the evidence and a window failing alone are
 * decided exactly on the canary's counts ({@link BinomialEvidence}) rather than on the effect.
 */
public record ErrorRateSlo(OptionalDouble threshold, OptionalDouble maxRelativeIncrease) implements SloRule {

    /** The smallest τ: an error-rate difference of 0.1 percentage points. */
    static final double MIN_MIXTURE_SCALE = 0.001;

    static final String TEXT_EXAMPLES = "errors<=1%, errors<=+1%";

    /** errors<=1%, errors<=1%+50%, errors<=+50%: a threshold, an allowance, or both, in per cent. */
    private static final Pattern TEXT = Pattern.compile(
            "errors?\\s*<=\\s*(?:(\\d+(?:\\.\\d+)?)\\s*%)?\\s*(?:\\+\\s*(\\d+(?:\\.\\d+)?)\\s*%)?");

    static ErrorRateSlo of(Slo spec) {
        return new ErrorRateSlo(SloNumbers.optional(spec.getThreshold()), SloNumbers.optional(spec.getMaxRelativeIncrease()));
    }

    /** The spec of a text in this kind's form (lower case, stripped); empty if it is not in this form. */
    static Optional<Slo> fromText(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(Slo.newBuilder()
                .setKind(SloKind.ERROR_RATE)
                .setThreshold(m.group(1) == null ? null : SloNumbers.fractionOfPercent(m.group(1)))
                .setMaxRelativeIncrease(m.group(2) == null ? null : SloNumbers.fractionOfPercent(m.group(2)))
                .build());
    }

    /** The problems particular to this kind; {@link SloRule#problems} adds those common to all. */
    static List<Problem> problems(Slo spec, String path) {
        List<Problem> problems = new ArrayList<>();
        if (spec.getQuantile() != null) {
            problems.add(Problem.at(path, "quantile", "only LATENCY SLOs have a quantile"));
        }
        Double threshold = spec.getThreshold();
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            problems.add(Problem.at(path, "threshold", "an error rate is a fraction from 0 to 1, got " + threshold));
        }
        return problems;
    }

    @Override
    public String name() {
        return "error rate";
    }

    @Override
    public String text() {
        String bound = threshold.isPresent() ? SloNumbers.plainPercent(threshold.getAsDouble()) + "%" : "";
        return "errors<=" + bound + SloNumbers.allowanceText(maxRelativeIncrease);
    }

    @Override
    public double value(RoleStats stats) {
        return stats.errorRate();
    }

    @Override
    public Effect effect(Bound bound, WindowStats window) {
        RoleStats canary = window.canary();
        long nc = canary.count();
        return switch (bound) {
            case THRESHOLD -> {
                double t = threshold.getAsDouble();
                // A threshold of 0 (or 1) has no variance; half an error per window stands in for it.
                double atBound = Math.min(Math.max(t, 0.5 / nc), 1 - 0.5 / nc);
                yield new Effect(canary.errorRate() - t, Math.sqrt(atBound * (1 - atBound) / nc));
            }
            case BASELINE -> {
                RoleStats baseline = window.baseline();
                double allowed = 1 + maxRelativeIncrease.getAsDouble();
                double pb = baselineRateAtBound(window);
                double pc = allowed * pb;
                yield new Effect(canary.errorRate() - allowed * baseline.errorRate(),
                        Math.sqrt(pc * (1 - pc) / nc + allowed * allowed * pb * (1 - pb) / baseline.count()));
            }
        };
    }

    /**
     * The baseline's rate estimated from both roles' counts as if the canary's were exactly
     * (1 + r) times it (smoothed), at most what keeps the canary's rate at 1 − 1/(2·nc).
     */
    private double baselineRateAtBound(WindowStats window) {
        double allowed = 1 + maxRelativeIncrease.getAsDouble();
        RoleStats canary = window.canary();
        RoleStats baseline = window.baseline();
        double rate = (canary.errors() + baseline.errors() + 1.0) / (allowed * canary.count() + baseline.count() + 2.0);
        return Math.min(rate, (1 - 0.5 / canary.count()) / allowed);
    }

    /**
     * Against a threshold strictly between 0 and 1 the evidence is exact ({@link BinomialEvidence}
     * on the canary's counts): with a few expected errors per window the normal approximation
     * overstates it. Against the baseline, the normal one.
     */
    @Override
    public boolean failsAlone(Bound bound, WindowStats window, Effect effect, double level) {
        OptionalDouble exact = exactThreshold(bound);
        if (exact.isEmpty()) {
            return SloRule.super.failsAlone(bound, window, effect, level);
        }
        // Exact: the chance of this many errors or more if the rate were at the threshold.
        double t = exact.getAsDouble();
        RoleStats canary = window.canary();
        return canary.errorRate() > t && BinomialEvidence.upperTail(canary.errors(), canary.count(), t) <= level;
    }

    @Override
    public double logLikelihoodRatio(Bound bound, Evidence evidence) {
        OptionalDouble exact = exactThreshold(bound);
        return exact.isPresent()
                ? BinomialEvidence.logLikelihoodRatio(evidence.errors(), evidence.requests(), exact.getAsDouble())
                : evidence.logLikelihoodRatio();
    }

    /** The threshold, when {@code bound} is one strictly between 0 and 1: tested exactly on counts. */
    private OptionalDouble exactThreshold(Bound bound) {
        return bound == Bound.THRESHOLD && threshold.getAsDouble() > 0 && threshold.getAsDouble() < 1
                ? threshold : OptionalDouble.empty();
    }

    /**
     * Against the baseline, the estimate leaning inside is enough: with few errors on either
     * side the bound (1 + r)·p̂b is itself about 0, so no amount of evidence could show the
     * canary below it, and a healthy canary would never be promoted.
     */
    @Override
    public boolean promotable(Bound bound, Evidence evidence, double z) {
        return bound == Bound.BASELINE ? !(evidence.estimate() > 0) : SloRule.super.promotable(bound, evidence, z);
    }

    /**
     * τ is the effect of a canary failing twice as often as its bound allows: the threshold
     * itself, or (1 + r) times the baseline's rate at the bound — at least {@link #MIN_MIXTURE_SCALE}.
     * Error rates span orders of magnitude, so no one τ fits all SLOs as for latencies.
     */
    @Override
    public double mixtureScale(Bound bound, WindowStats window) {
        double scale = switch (bound) {
            case THRESHOLD -> threshold.getAsDouble();
            case BASELINE -> (1 + maxRelativeIncrease.getAsDouble()) * baselineRateAtBound(window);
        };
        return Math.max(scale, MIN_MIXTURE_SCALE);
    }

    @Override
    public SloNumbers.Unit unit(Bound bound) {
        return SloNumbers.Unit.PERCENT;
    }

    @Override
    public double reading(Bound bound, WindowStats window, double effect) {
        return switch (bound) {
            case THRESHOLD -> threshold.getAsDouble() + effect;
            case BASELINE -> (1 + maxRelativeIncrease.getAsDouble()) * window.baseline().errorRate() + effect;
        };
    }

    @Override
    public String observed(Bound bound, WindowStats window, String reading) {
        return switch (bound) {
            case THRESHOLD -> "canary error rate " + reading;
            case BASELINE -> "canary error rate " + reading + " vs baseline " + format(value(window.baseline())) + " +"
                    + SloNumbers.percent(maxRelativeIncrease.getAsDouble());
        };
    }

    @Override
    public String format(double value) {
        return SloNumbers.percent(value);
    }

    @Override
    public Slo toAvro() {
        return Slo.newBuilder()
                .setKind(SloKind.ERROR_RATE)
                .setThreshold(SloNumbers.nullable(threshold))
                .setMaxRelativeIncrease(SloNumbers.nullable(maxRelativeIncrease))
                .build();
    }
}
