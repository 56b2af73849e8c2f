package io.rollcall.rollout;

import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutSpec;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Rollouts judged as the judge judges them — {@link Judgement} and {@link Closing} at every
 * window's close, and mid-window every {@link RolloutJudge#EARLY_EVERY} canary samples — on
 * simulated traffic, without Kafka, so that many seeded rollouts run in seconds.
 */
final class JudgeSimulation {

    /**
     * Requests of one window: {@code baseline} and {@code canary} of them, evenly interleaved,
     * log-normal latencies with σ = 0.5 around the medians, failing with the given probabilities.
     */
    record Traffic(int baseline, int canary, double baselineMedianMs, double canaryMedianMs, double baselineErrors,
                   double canaryErrors) {

        static Traffic latency(int perRole, double baselineMedianMs, double canaryMedianMs) {
            return new Traffic(perRole, perRole, baselineMedianMs, canaryMedianMs, 0, 0);
        }

        static Traffic errors(int perRole, double baselineErrors, double canaryErrors) {
            return errors(perRole, perRole, baselineErrors, canaryErrors);
        }

        static Traffic errors(int baseline, int canary, double baselineErrors, double canaryErrors) {
            return new Traffic(baseline, canary, 100, 100, baselineErrors, canaryErrors);
        }

        Traffic withErrors(double baselineErrors, double canaryErrors) {
            return new Traffic(baseline, canary, baselineMedianMs, canaryMedianMs, baselineErrors, canaryErrors);
        }

        /** Whether the {@code i}-th request of a window is the canary's: canary requests spread evenly. */
        boolean canaryAt(int i) {
            long total = baseline + canary;
            return (i + 1L) * canary / total > (long) i * canary / total;
        }
    }

    /** How a rollout ended: its terminal decision (CONTINUE if none) and the window of it. */
    record Ending(Decision decision, int window, boolean early) {

        boolean rolledBackWithin(int windows) {
            return decision == Decision.ROLLBACK && window < windows;
        }
    }

    private JudgeSimulation() {
    }

    /** One rollout of at most {@code windows} windows. */
    static Ending run(RolloutSpec spec, Traffic traffic, int windows, long seed) {
        Random random = new Random(seed);
        int passing = 0;
        int failing = 0;
        List<Evidence> evidence = List.of();
        for (int window = 0; window < windows; window++) {
            WindowStats stats = WindowStats.empty();
            for (int i = 0; i < traffic.baseline() + traffic.canary(); i++) {
                if (!traffic.canaryAt(i)) {
                    stats = stats.add(sample(Role.BASELINE, traffic.baselineMedianMs(), traffic.baselineErrors(), random));
                    continue;
                }
                stats = stats.add(sample(Role.CANARY, traffic.canaryMedianMs(), traffic.canaryErrors(), random));
                if (stats.canary().count() % RolloutJudge.EARLY_EVERY == 0 && Judgement.conclusive(spec, stats, evidence)) {
                    Optional<Closing> early = Closing.early(spec, window, failing,
                            Judgement.judge(spec, stats, evidence));
                    if (early.isPresent()) {
                        return new Ending(Decision.ROLLBACK, window, true);
                    }
                }
            }
            Judgement.Result result = Judgement.judge(spec, stats, evidence);
            Closing closing = Closing.of(spec, window, passing, failing, stats, result);
            if (closing.terminal()) {
                return new Ending(closing.decision(), window, false);
            }
            passing = closing.passing();
            failing = closing.failing();
            evidence = result.evidence();
        }
        return new Ending(Decision.CONTINUE, windows, false);
    }

    private static Sample sample(Role role, double medianMs, double errors, Random random) {
        double latency = medianMs * Math.exp(0.5 * random.nextGaussian());
        return new Sample("r1", role, latency, random.nextDouble() < errors, 0);
    }
}
