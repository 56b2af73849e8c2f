package io.rollcall.rollout;

import io.rollcall.aggregate.Quantiles;
import io.rollcall.rollout.SpecValidator.Problem;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The canary's latency quantile q, in ms: at most a threshold, at most a fraction above the
 * baseline's, or both. Its bounds are order statistics: the sample quantile at rank
 * q ∓ z·√(q(1−q)/n) (see {@link Confidence#quantileRankLower}).
 */
public record LatencySlo(double quantile, OptionalDouble threshold, OptionalDouble maxRelativeIncrease)
        implements SloRule {

    static final String TEXT_EXAMPLES = "p95<=300ms, p99<=1s+50%, p95<=+10%";

    /** p95<=300ms, p99.9 <= 1.5s, p95<=300ms+20%, p95<=+20%: a threshold (ms by default), an allowance, or both. */
    private static final Pattern TEXT = Pattern.compile("(p\\d+(?:\\.\\d+)?)\\s*<=\\s*"
            + "(?:(\\d+(?:\\.\\d+)?)\\s*(ms|s)?)?\\s*(?:\\+\\s*(\\d+(?:\\.\\d+)?)\\s*%)?");

    static LatencySlo of(Slo spec) {
        return new LatencySlo(spec.getQuantile(), SloNumbers.optional(spec.getThreshold()),
                SloNumbers.optional(spec.getMaxRelativeIncrease()));
    }

    /** The spec of a text in this kind's form (lower case, stripped); empty if it is not in this form. */
    static Optional<Slo> fromText(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Double threshold = m.group(2) == null ? null
                : new BigDecimal(m.group(2)).movePointRight("s".equals(m.group(3)) ? 3 : 0).doubleValue();
        return Optional.of(Slo.newBuilder()
                .setKind(SloKind.LATENCY)
                .setQuantile(Quantiles.parse(m.group(1)))
                .setThreshold(threshold)
                .setMaxRelativeIncrease(m.group(4) == null ? null : SloNumbers.fractionOfPercent(m.group(4)))
                .build());
    }

    /** The problems particular to this kind; {@link SloRule#problems} adds those common to all. */
    static List<Problem> problems(Slo spec, String path) {
        List<Problem> problems = new ArrayList<>();
        Double q = spec.getQuantile();
        if (q == null || !(q > 0 && q < 1)) {
            problems.add(Problem.at(path, "quantile", "a LATENCY SLO needs a quantile in (0, 1), e.g. 0.95, got " + q));
        }
        Double threshold = spec.getThreshold();
        if (threshold != null && !(threshold > 0 && Double.isFinite(threshold))) {
            problems.add(Problem.at(path, "threshold", "must be a positive number of ms, got " + threshold));
        }
        return problems;
    }

    @Override
    public String name() {
        return Quantiles.name(quantile);
    }

    @Override
    public String text() {
        String bound = threshold.isPresent() ? SloNumbers.plain(threshold.getAsDouble()) + "ms" : "";
        return name() + "<=" + bound + SloNumbers.allowanceText(maxRelativeIncrease);
    }

    @Override
    public double value(RoleStats stats) {
        return stats.quantile(quantile);
    }

    @Override
    public double lowerBound(RoleStats stats, double confidence) {
        return stats.quantile(Confidence.quantileRankLower(quantile, stats.count(), confidence));
    }

    @Override
    public double upperBound(RoleStats stats, double confidence) {
        return stats.quantile(Confidence.quantileRankUpper(quantile, stats.count(), confidence));
    }

    @Override
    public String format(double value) {
        return SloNumbers.milliseconds(value);
    }

    @Override
    public Slo toAvro() {
        return Slo.newBuilder()
                .setKind(SloKind.LATENCY)
                .setQuantile(quantile)
                .setThreshold(SloNumbers.nullable(threshold))
                .setMaxRelativeIncrease(SloNumbers.nullable(maxRelativeIncrease))
                .build();
    }
}
