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
 * {@link Slo}, what it measures in a window, the confidence bounds of that measure and how
 * its values read; {@link Judgement} applies the bounds the same way to every kind.
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

    /** A lower bound of the true measure at the given confidence. */
    double lowerBound(RoleStats stats, double confidence);

    /** An upper bound of the true measure at the given confidence. */
    double upperBound(RoleStats stats, double confidence);

    /** A value in the kind's unit, as reasons show it: "412 ms", "1.5 %". */
    String format(double value);

    /** The SLO as a spec carries it. */
    Slo toAvro();

    /** The SLO in words, e.g. "p95 <= 320 ms", "error rate <= 1 % and <= baseline +50 %". */
    default String describe() {
        List<String> bounds = new ArrayList<>();
        threshold().ifPresent(threshold -> bounds.add("<= " + format(threshold)));
        maxRelativeIncrease().ifPresent(allowed -> bounds.add("<= baseline +" + SloNumbers.percent(allowed)));
        return name() + " " + String.join(" and ", bounds);
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
