package io.rollcall.rollout;

import io.rollcall.rollout.SpecValidator.Problem;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * A service-level objective of a rollout, one type per kind. A kind owns its text form
 * ({@code p95<=300ms+20%}, {@code errors<=1%}), its reading and validation of the spec's
 * {@link Slo}, what it measures in a window, how far beyond each of its bounds a window puts
 * the canary ({@link #effect}, with a standard error) and how those numbers read;
 * {@link Judgement} and {@link Evidence} test the effects the same way for every kind.
 *
 * <p>Adding a kind: a record implementing this interface, and its arm in {@link #of},
 * {@link #parse} and {@link #problems}.
 */
public sealed interface SloRule permits LatencySlo, ErrorRateSlo {

    /** The problem of a spec SLO without a kind, or with an unknown one. */
    String KIND_EXPECTED = "must be " + Arrays.stream(SloKind.values()).map(Enum::name)
            .collect(Collectors.joining(" or "));

    /** The absolute bound, in the kind's unit; empty when the SLO is only relative. */
    OptionalDouble threshold();

    /** How much the canary may exceed the baseline of the same window, as a fraction (0.2 = 20 %). */
    OptionalDouble maxRelativeIncrease();

    /** What is measured, as reasons name it: "p95", "error rate". */
    String name();

    /** The text form, which {@link #parse} reads back: "p95<=300ms+20%", "errors<=1%", "p99<=+10%". */
    String text();

    /** The measure of one role in a window; NaN without requests. */
    double value(RoleStats stats);

    /**
     * The fewest requests a role needs in a window for this SLO's measure to be judged at
     * all, whatever the spec's {@code minSamples}: 0 unless the measure needs more.
     */
    default int samplesNeeded() {
        return 0;
    }

    /** What a bound of an SLO compares the canary with. */
    enum Bound {
        /** The SLO's threshold. */
        THRESHOLD,
        /** The baseline's measure in the same window, with the allowance ({@link SloRule#maxRelativeIncrease}). */
        BASELINE
    }

    /** The bounds this SLO has, each tested on its own: its threshold's, then its allowance's. */
    default List<Bound> bounds() {
        List<Bound> bounds = new ArrayList<>(2);
        if (threshold().isPresent()) {
            bounds.add(Bound.THRESHOLD);
        }
        if (maxRelativeIncrease().isPresent()) {
            bounds.add(Bound.BASELINE);
        }
        return bounds;
    }

    /**
     * How far beyond {@code bound} the canary is in a window, with the standard error of that
     * estimate; the canary (and for {@link Bound#BASELINE} the baseline) has requests.
     */
    Effect effect(Bound bound, WindowStats window);

    /**
     * τ, the scale of the sequential test of {@code bound} ({@link Evidence}): the size of
     * effect it is built to detect quickly, in the effect's unit. Chosen with the bound's
     * first window.
     */
    double mixtureScale(Bound bound, WindowStats window);

    /** Whether one window alone is beyond {@code bound} at {@code level}: by default its effect's z-test. */
    default boolean failsAlone(Bound bound, WindowStats window, Effect effect, double level) {
        return effect.z() > Confidence.z(1 - level);
    }

    /** ln Λ of the evidence of {@code bound} ({@link Evidence}); a kind may test its counts exactly instead. */
    default double logLikelihoodRatio(Bound bound, Evidence evidence) {
        return evidence.logLikelihoodRatio();
    }

    /** The evidence of {@code bound} is conclusively beyond it: Λ reached {@code threshold} with D > 0. */
    default boolean conclusive(Bound bound, Evidence evidence, double threshold) {
        return !evidence.isEmpty() && evidence.estimate() > 0
                && logLikelihoodRatio(bound, evidence) >= Math.log(threshold);
    }

    /**
     * Whether the evidence of {@code bound} lets the rollout be promoted: by default when it
     * shows the bound holds at the spec's confidence (upper bound D + z·√V at most 0, or no
     * evidence at all), so that a noisy regression — a p95 of skewed latencies — is not
     * promoted because its pooled estimate happened to dip inside.
     */
    default boolean promotable(Bound bound, Evidence evidence, double z) {
        return !(evidence.upperBound(z) > 0);
    }

    /** The unit a bound's comparison reads in: ms, a ratio to the baseline, a percentage. */
    SloNumbers.Unit unit(Bound bound);

    /**
     * The value, in {@link #unit}, that an effect of {@code bound} in {@code window} stands for:
     * the observed value for the window's estimate, the limit for 0, a lower confidence bound
     * for the estimate's lower bound.
     */
    double reading(Bound bound, WindowStats window, double effect);

    /**
     * What the canary shows against {@code bound} in a window, given its {@link #reading} as it
     * reads: "canary p95 412 ms", "canary p95 302 ms = 1.32× baseline 228 ms".
     */
    String observed(Bound bound, WindowStats window, String reading);

    /** A value in the kind's unit, as reasons show it: "412 ms", "1.5 %". */
    String format(double value);

    /** The SLO as a spec carries it. */
    Slo toAvro();

    /** The SLO in words, e.g. "p95 <= 320 ms", "error rate <= 1 % and <= baseline +50 %". */
    default String describe() {
        return name() + " " + bounds().stream().map(this::limit).collect(Collectors.joining(" and "));
    }

    /** One bound in words: "p95 <= 320 ms", "error rate <= baseline +50 %". */
    default String describe(Bound bound) {
        return name() + " " + limit(bound);
    }

    private String limit(Bound bound) {
        return switch (bound) {
            case THRESHOLD -> "<= " + format(threshold().getAsDouble());
            case BASELINE -> "<= baseline +" + SloNumbers.percent(maxRelativeIncrease().getAsDouble());
        };
    }

    /**
     * The rule of a spec's SLO.
     *
     * @throws IllegalArgumentException if the SLO has {@link #problems}
     */
    static SloRule of(Slo spec) {
        List<Problem> problems = problems(spec, "");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid SLO: " + problems);
        }
        return switch (spec.getKind()) {
            case LATENCY -> LatencySlo.of(spec);
            case ERROR_RATE -> ErrorRateSlo.of(spec);
        };
    }

    /**
     * An SLO from its text form: {@code p95<=300ms}, {@code p99<=1s+50%}, {@code p95<=+10%},
     * {@code errors<=1%}, {@code errors<=+1%}; case and blanks around the operators do not matter.
     *
     * @throws IllegalArgumentException with a message saying what is wrong and how to write it
     */
    static SloRule parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        Slo spec = LatencySlo.fromText(s)
                .or(() -> ErrorRateSlo.fromText(s))
                .orElseThrow(() -> new IllegalArgumentException("not an SLO; write e.g. " + LatencySlo.TEXT_EXAMPLES
                        + " or " + ErrorRateSlo.TEXT_EXAMPLES));
        List<Problem> problems = problems(spec, "");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).toString());
        }
        return of(spec);
    }

    /**
     * A kind name of the spec, case-insensitively: "latency" → LATENCY.
     *
     * @throws IllegalArgumentException naming the kinds there are
     */
    static SloKind kind(String name) {
        for (SloKind kind : SloKind.values()) {
            if (kind.name().equalsIgnoreCase(name.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException(KIND_EXPECTED + ", got '" + name + "'");
    }

    /**
     * What is wrong with a spec's SLO, each problem naming its field under {@code path}
     * (e.g. "slos[0]" gives "slos[0].threshold"; "" gives "threshold").
     */
    static List<Problem> problems(Slo spec, String path) {
        if (spec.getKind() == null) {
            return List.of(Problem.at(path, "kind", KIND_EXPECTED));
        }
        List<Problem> problems = new ArrayList<>();
        Double relative = spec.getMaxRelativeIncrease();
        if (spec.getThreshold() == null && relative == null) {
            problems.add(Problem.at(path, "threshold", "a threshold or a maxRelativeIncrease is required"));
        }
        if (relative != null && !(relative >= 0 && relative <= 100)) {
            problems.add(Problem.at(path, "maxRelativeIncrease",
                    "must be from 0 to 100 (a fraction: 0.2 = 20 %), got " + relative));
        }
        problems.addAll(switch (spec.getKind()) {
            case LATENCY -> LatencySlo.problems(spec, path);
            case ERROR_RATE -> ErrorRateSlo.problems(spec, path);
        });
        return problems;
    }
}
