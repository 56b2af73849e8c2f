package io.rollcall.rollout;

import io.rollcall.rollout.SloNumbers.Compared;
import io.rollcall.rollout.SloRule.Bound;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges one analysis window against a rollout's SLOs, adding it to the evidence of the
 * windows before. Pure: the same spec, window and evidence always give the same result, so
 * every rule is testable without Kafka.
 *
 * <p>Each bound of each SLO is a check of "the bound holds" (see {@link Evidence}); its kind
 * of {@link SloRule} gives the window's effect d with standard error s. Two tests use it, at
 * levels that together keep a false rollback within the spec's confidence ({@link FalseAlarms}):
 * <ul>
 *   <li>the window alone fails the check when d/s exceeds its window's z — a regression that
 *       starts late shows here, where pooling with earlier healthy windows would dilute it;
 *   <li>the evidence of all windows so far is conclusive when its sequential likelihood
 *       ratio reaches {@link FalseAlarms#conclusiveAt()}, with the pooled effect beyond the bound.
 * </ul>
 * An SLO fails when either test fails one of its checks. With fewer than {@code minSamples}
 * canary requests (or baseline requests, for a relative bound), or fewer than its measure
 * needs ({@link SloRule#samplesNeeded}), a check has no data: it neither fails nor adds evidence.
 */
public final class Judgement {

    /** How a window came out. */
    public enum Outcome {
        PASS, FAIL, NODATA
    }

    /**
     * The per-SLO results and the window's outcome: FAIL if any failed, else NODATA if any lacked data.
     *
     * @param evidence   per check (the bounds of the SLOs, in order), this window included
     * @param conclusive some check's evidence is conclusive: roll back
     * @param unproven   the checks whose evidence so far does not show them inside their bound
     *                   at the spec's confidence, in words: PROMOTE waits for none
     */
    public record Result(List<SloResult> slos, Outcome outcome, List<Evidence> evidence, boolean conclusive,
                         List<String> unproven) {

        public List<SloResult> failed() {
            return slos.stream().filter(r -> r.getOutcome() == SloOutcome.FAIL).toList();
        }
    }

    /** Likelihood ratios beyond this read "over 1.0e+12": a window alone can reach 1e300. */
    private static final double LARGEST_RATIO_SHOWN = 1e12;

    private Judgement() {
    }

    /** The number of checks of a spec: one per bound of each SLO. */
    public static int checks(RolloutSpec spec) {
        return spec.getSlos().stream().mapToInt(slo -> SloRule.of(slo).bounds().size()).sum();
    }

    /** Judges {@code window} after the windows whose {@code evidence} (per check; empty: none) came before. */
    public static Result judge(RolloutSpec spec, WindowStats window, List<Evidence> evidence) {
        Judge judge = new Judge(spec, window, evidence);
        List<SloResult> results = new ArrayList<>();
        for (Slo slo : spec.getSlos()) {
            results.add(judge.slo(slo));
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
        return new Result(List.copyOf(results), outcome, List.copyOf(judge.next), judge.conclusive,
                List.copyOf(judge.unproven));
    }

    /**
     * Whether the evidence with {@code window} is conclusive for some check: what
     * {@link #judge} would say in {@link Result#conclusive}, without the reasons — cheap
     * enough to ask often within a window.
     */
    public static boolean conclusive(RolloutSpec spec, WindowStats window, List<Evidence> evidence) {
        double conclusiveAt = FalseAlarms.of(spec).conclusiveAt();
        int check = 0;
        for (Slo definition : spec.getSlos()) {
            SloRule slo = SloRule.of(definition);
            for (Bound bound : slo.bounds()) {
                Evidence before = check < evidence.size() ? evidence.get(check) : Evidence.NONE;
                check++;
                if (hasData(spec, slo, bound, window) && slo.conclusive(bound,
                        before.plus(slo.effect(bound, window), slo.mixtureScale(bound, window), window.canary()),
                        conclusiveAt)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The fewest requests per role an SLO is judged on: the spec's {@code minSamples}, or more if its measure needs them. */
    private static int minSamples(RolloutSpec spec, SloRule slo) {
        return Math.max(spec.getMinSamples(), slo.samplesNeeded());
    }

    /** A check has data when the canary, and for a relative bound the baseline, has {@link #minSamples} requests. */
    private static boolean hasData(RolloutSpec spec, SloRule slo, Bound bound, WindowStats window) {
        int min = minSamples(spec, slo);
        return window.canary().count() >= min && (bound == Bound.THRESHOLD || window.baseline().count() >= min);
    }

    /** The SLO in words, e.g. "p95 <= 320 ms", "error rate <= 1 % and <= baseline +50 %". */
    public static String describe(Slo slo) {
        return SloRule.of(slo).describe();
    }

    /** One judgement in progress: the checks are numbered across the SLOs in order. */
    private static final class Judge {
        private final RolloutSpec spec;
        private final WindowStats window;
        private final List<Evidence> before;
        private final FalseAlarms alarms;
        private final double conclusiveAt;
        /** z of the spec's confidence: how sure PROMOTE must be that a bound holds. */
        private final double insideZ;
        private final List<Evidence> next = new ArrayList<>();
        private final List<String> unproven = new ArrayList<>();
        private boolean conclusive;

        Judge(RolloutSpec spec, WindowStats window, List<Evidence> before) {
            this.spec = spec;
            this.window = window;
            this.before = before;
            this.alarms = FalseAlarms.of(spec);
            this.conclusiveAt = alarms.conclusiveAt();
            this.insideZ = Confidence.z(spec.getConfidence());
        }

        SloResult slo(Slo definition) {
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
            int min = minSamples(spec, slo);
            String fewest = min > spec.getMinSamples() ? "the %,d a %s is judged on".formatted(min, slo.name())
                    : "%,d".formatted(min);
            String noData = canary.count() < min ? "canary has %s, fewer than %s".formatted(requests(canary), fewest)
                    : slo.threshold().isEmpty() && baseline.count() < min
                    ? "baseline has %s, fewer than %s".formatted(requests(baseline), fewest) : null;
            if (noData != null) {
                slo.bounds().forEach(bound -> next.add(previous()));
                return result.setOutcome(SloOutcome.NODATA).setReason(noData).build();
            }
            boolean failed = false;
            List<String> reasons = new ArrayList<>();
            for (Bound bound : slo.bounds()) {
                Evidence evidence = previous();
                if (!hasData(spec, slo, bound, window)) {
                    next.add(evidence);
                    reasons.add("baseline has %s, too few to compare".formatted(requests(baseline)));
                    continue;
                }
                Effect effect = slo.effect(bound, window);
                evidence = evidence.plus(effect, slo.mixtureScale(bound, window), window.canary());
                next.add(evidence);
                boolean windowFails = slo.failsAlone(bound, window, effect, alarms.windowLevel(evidence.windows()));
                boolean evidenceConclusive = slo.conclusive(bound, evidence, conclusiveAt);
                failed |= windowFails || evidenceConclusive;
                conclusive |= evidenceConclusive;
                if (!slo.promotable(bound, evidence, insideZ)) {
                    unproven.add(pooled(slo, bound, evidence, insideZ));
                }
                reasons.add(reason(slo, bound, effect, evidence.windows(), windowFails) + "; "
                        + likelihood(evidence, slo.logLikelihoodRatio(bound, evidence)));
            }
            return result.setOutcome(failed ? SloOutcome.FAIL : SloOutcome.PASS)
                    .setReason(String.join("; ", reasons)).build();
        }

        private Evidence previous() {
            int check = next.size();
            return check < before.size() ? before.get(check) : Evidence.NONE;
        }

        /**
         * "canary p95 412 ms over 400 requests, limit 320 ms: beyond it at 95 % confidence
         * (lower bound 355 ms)", "canary error rate 0.3 % over 150 requests, within the limit 1 %".
         */
        private String reason(SloRule slo, Bound bound, Effect effect, int windowOfCheck, boolean windowFails) {
            SloNumbers.Unit unit = slo.unit(bound);
            double limit = slo.reading(bound, window, 0);
            Compared observed = SloNumbers.compared(unit, slo.reading(bound, window, effect.estimate()), limit);
            String over = bound == Bound.BASELINE
                    ? "over %,d and %s".formatted(window.canary().count(), requests(window.baseline()))
                    : "over " + requests(window.canary());
            String head = slo.observed(bound, window, observed.value()) + " " + over;
            if (effect.estimate() <= 0) {
                return head + ", within the limit " + observed.reference();
            }
            Compared lower = SloNumbers.compared(unit,
                    slo.reading(bound, window, effect.lowerBound(alarms.windowZ(windowOfCheck))), limit);
            return head + ", limit " + lower.reference() + (windowFails
                    ? ": beyond it at %s confidence (lower bound %s)".formatted(
                            alarms.windowConfidence(windowOfCheck), lower.value())
                    : ": above it, but not conclusively in this window (lower bound %s)".formatted(lower.value()));
        }

        /** "p95 <= baseline +10 % (pooled 1.12×, upper bound 1.19× at 95 % confidence, over 6 windows)". */
        private String pooled(SloRule slo, Bound bound, Evidence evidence, double z) {
            double limit = slo.reading(bound, window, 0);
            return "%s (pooled %s, upper bound %s at %s confidence, over %d window%s)".formatted(slo.describe(bound),
                    SloNumbers.compared(slo.unit(bound), slo.reading(bound, window, evidence.estimate()), limit).value(),
                    SloNumbers.compared(slo.unit(bound), slo.reading(bound, window, evidence.upperBound(z)), limit).value(),
                    SloNumbers.confidence(spec.getConfidence()), evidence.windows(), evidence.windows() == 1 ? "" : "s");
        }

        /** "evidence over 3 windows: likelihood ratio 48 (conclusive at 50)". */
        private String likelihood(Evidence evidence, double logLikelihoodRatio) {
            double shown = Math.exp(Math.min(logLikelihoodRatio, Math.log(LARGEST_RATIO_SHOWN)));
            Compared ratio = SloNumbers.compared(SloNumbers.Unit.NUMBER, shown, conclusiveAt);
            return String.format(Locale.ROOT, "evidence over %d window%s: likelihood ratio %s%s (conclusive at %s)",
                    evidence.windows(), evidence.windows() == 1 ? "" : "s",
                    shown >= LARGEST_RATIO_SHOWN ? "over " : "", ratio.value(), ratio.reference());
        }
    }

    private static Double valueOf(SloRule slo, RoleStats stats) {
        return stats.count() == 0 ? null : slo.value(stats);
    }

    private static String requests(RoleStats stats) {
        return SloNumbers.requests(stats.count());
    }
}
