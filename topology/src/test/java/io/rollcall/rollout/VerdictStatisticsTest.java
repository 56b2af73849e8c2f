package io.rollcall.rollout;

import static io.rollcall.rollout.RolloutDriver.errorRate;
import static io.rollcall.rollout.RolloutDriver.latency;
import static io.rollcall.rollout.RolloutDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.rollout.JudgeSimulation.Ending;
import io.rollcall.rollout.JudgeSimulation.Traffic;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutSpec;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The judge's power and false alarms over many seeded rollouts (deterministic seeds: the
 * counts are the same on every run). 500 requests per role and window, log-normal latencies.
 */
class VerdictStatisticsTest {

    private static List<Ending> runs(RolloutSpec spec, Traffic traffic, int windows, int runs) {
        // Each run has its own seeded Random: run in parallel, the endings and their order are the same.
        return LongStream.range(0, runs).parallel().mapToObj(seed -> JudgeSimulation.run(spec, traffic, windows, seed))
                .toList();
    }

    private static long count(List<Ending> endings, Predicate<Ending> which) {
        return endings.stream().filter(which).count();
    }

    private static String byWindow(List<Ending> endings) {
        return "rolled back within 1, 2, … windows: " + IntStream.rangeClosed(1, 6)
                .mapToObj(windows -> count(endings, e -> e.rolledBackWithin(windows))).toList();
    }

    @Test
    void aCanaryAQuarterSlowerIsRolledBackWithinFewWindows() {
        RolloutSpec spec = spec("search", latency(0.95, null, 0.1)).setSuccessWindows(6).build();
        List<Ending> endings = runs(spec, Traffic.latency(500, 100, 125), 6, 100);

        // Measured: 39, 68, 83, 93, 96, 98 of 100 within 1 to 6 windows.
        assertThat(count(endings, e -> e.rolledBackWithin(3))).as(byWindow(endings)).isGreaterThanOrEqualTo(80);
        assertThat(count(endings, e -> e.rolledBackWithin(4))).as(byWindow(endings)).isGreaterThanOrEqualTo(90);
        assertThat(count(endings, e -> e.decision() == Decision.PROMOTE)).isZero();
    }

    @Test
    void aHealthyCanaryIsNeverRolledBackAndIsPromoted() {
        RolloutSpec spec = spec("search", latency(0.95, null, 0.1), errorRate(0.01, null)).build();
        List<Ending> endings = runs(spec, Traffic.errors(500, 0.002, 0.002), 12, 300);

        // Measured: 242 promoted after the 3 successWindows, the other 58 within 12 windows (35, 10,
        // 6, 3, 2, 1 and 1 a window or more later), once the pooled evidence showed every bound
        // holding at 95 % confidence.
        assertThat(count(endings, e -> e.decision() == Decision.ROLLBACK)).isZero();
        assertThat(count(endings, e -> e.decision() == Decision.PROMOTE)).isEqualTo(300);
    }

    @Test
    void aCanaryJustAtItsBoundIsRarelyRolledBackHoweverLongItRuns() {
        // The whole rule (the evidence, looked at every 32 canary samples, and failureLimit 2
        // windows failing alone) over 20 windows, never promoted: a canary exactly at
        // p95 = baseline +10 % may be rolled back at most 1 − confidence = 5 % of the time.
        RolloutSpec spec = spec("search", latency(0.95, null, 0.1)).setFailureLimit(2).setSuccessWindows(1000).build();
        List<Ending> endings = runs(spec, Traffic.latency(500, 100, 110), 20, 200);

        // Measured: 7 of 200 (3.5 %), 5 of them within the first 3 windows.
        assertThat(count(endings, e -> e.decision() == Decision.ROLLBACK)).as(byWindow(endings)).isLessThanOrEqualTo(10);
    }

    @Test
    void aP99JustAtItsBoundIsRarelyRolledBackThoughFewRequestsLieBeyondIt() {
        // p99 <= baseline +10 % with 1,000 requests per role and window: ten beyond the p99, and
        // mid-window looks from 500 canary requests on. The whole rule over 20 windows, never promoted.
        RolloutSpec spec = spec("search", latency(0.99, null, 0.1)).setFailureLimit(2).setSuccessWindows(1000).build();
        List<Ending> endings = runs(spec, Traffic.latency(1000, 100, 110), 20, 1000);

        // Measured: 46 of 1,000 (4.6 %), 41 of them mid-window. Judged like any other measure from
        // 50 requests on, with the order statistics for its standard error reaching the maximum,
        // 340 (34 %): a p99's standard error needs requests beyond it.
        assertThat(count(endings, e -> e.decision() == Decision.ROLLBACK)).as(byWindow(endings)).isLessThanOrEqualTo(50);
    }

    @Test
    void twiceTheErrorRateTheSloAllowsIsRolledBack() {
        RolloutSpec spec = spec("payments", errorRate(0.01, null)).build();
        List<Ending> endings = runs(spec, Traffic.errors(500, 0.002, 0.02), 6, 100);

        // Measured: 33, 57, 76, 86, 98, 98 of 100 within 1 to 6 windows.
        assertThat(count(endings, e -> e.rolledBackWithin(3))).as(byWindow(endings)).isGreaterThanOrEqualTo(72);
        assertThat(count(endings, e -> e.rolledBackWithin(6))).as(byWindow(endings)).isGreaterThanOrEqualTo(96);
    }

    @Test
    void anErrorRateExactlyAtItsThresholdIsRarelyRolledBackThoughFewErrorsComePerWindow() {
        // 500 requests per window at errors <= 1 %: five expected errors per window, where a
        // normal approximation overstates the evidence. The whole rule over 20 windows.
        RolloutSpec spec = spec("payments", errorRate(0.01, null)).setFailureLimit(2).setSuccessWindows(1000).build();
        List<Ending> endings = runs(spec, Traffic.errors(500, 0.01, 0.01), 20, 2000);

        // Measured: 44 of 2,000 (2.2 %); at most α = 5 % may be.
        assertThat(count(endings, e -> e.decision() == Decision.ROLLBACK)).as(byWindow(endings)).isLessThanOrEqualTo(100);
    }

    @Test
    void aRareErrorRateExactlyAtItsThresholdIsRarelyRolledBack() {
        // errors <= 0.1 % over 500 requests per window: half an expected error per window.
        RolloutSpec spec = spec("payments", errorRate(0.001, null)).setFailureLimit(2).setSuccessWindows(1000).build();
        List<Ending> endings = runs(spec, Traffic.errors(500, 0.001, 0.001), 20, 2000);

        // Measured: 38 of 2,000 (1.9 %); at most α = 5 % may be.
        assertThat(count(endings, e -> e.decision() == Decision.ROLLBACK)).as(byWindow(endings)).isLessThanOrEqualTo(100);
    }

    @Test
    void anErrorRateJustAtItsAllowanceOverTheBaselineIsRarelyRolledBackWithLittleCanaryTraffic() {
        // errors <= baseline +50 %, the canary at exactly 1.5 × the baseline's 1 %, with 100
        // canary requests per window against 2,000 for the baseline. The whole rule over 20 windows.
        RolloutSpec spec = spec("payments", errorRate(null, 0.5)).setFailureLimit(2).setSuccessWindows(1000).build();
        List<Ending> endings = runs(spec, Traffic.errors(2000, 100, 0.01, 0.015), 20, 2000);

        // Measured: 85 of 2,000 (4.3 %); at most α = 5 % may be. With the variance taken at a rate
        // pooled as if both roles failed equally often, 223 (11 %).
        assertThat(count(endings, e -> e.decision() == Decision.ROLLBACK)).as(byWindow(endings)).isLessThanOrEqualTo(100);
    }
}
