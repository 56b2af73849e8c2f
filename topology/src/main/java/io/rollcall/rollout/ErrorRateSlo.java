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
 * at most a fraction above the baseline's, or both. Its bounds are Wilson score bounds
 * (see {@link Confidence#wilsonLower}).
 */
public record ErrorRateSlo(OptionalDouble threshold, OptionalDouble maxRelativeIncrease) implements SloRule {

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
    public double lowerBound(RoleStats stats, double confidence) {
        return Confidence.wilsonLower(stats.errors(), stats.count(), confidence);
    }

    @Override
    public double upperBound(RoleStats stats, double confidence) {
        return Confidence.wilsonUpper(stats.errors(), stats.count(), confidence);
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
