package io.rollcall.rollout;

import static io.rollcall.rollout.RolloutDriver.errorRate;
import static io.rollcall.rollout.RolloutDriver.latency;
import static io.rollcall.rollout.RolloutDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.SloOutcome;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class JudgementTest {

    private static final RolloutSpec SPEC = spec("search", latency(0.95, 300.0, 0.1), errorRate(0.01, 0.5)).build();

    private static WindowStats window(int perRole, double canaryMedianMs, double canaryErrors, long seed) {
        Random random = new Random(seed);
        WindowStats window = WindowStats.empty();
        for (int i = 0; i < perRole; i++) {
            window = window.add(new Sample("r1", Role.BASELINE, 100 * Math.exp(0.5 * random.nextGaussian()),
                    random.nextDouble() < 0.005, 0));
            window = window.add(new Sample("r1", Role.CANARY, canaryMedianMs * Math.exp(0.5 * random.nextGaussian()),
                    random.nextDouble() < canaryErrors, 0));
        }
        return window;
    }

    @Property(tries = 200)
    void theQuickConclusiveCheckAgreesWithTheFullJudgement(@ForAll @IntRange(min = 10, max = 400) int perRole,
            @ForAll @DoubleRange(min = 80, max = 160) double canaryMedianMs,
            @ForAll @DoubleRange(min = 0, max = 0.05) double canaryErrors, @ForAll long seed) {
        List<Evidence> before = Judgement.judge(SPEC, window(perRole, canaryMedianMs, canaryErrors, seed), List.of())
                .evidence();
        WindowStats next = window(perRole, canaryMedianMs, canaryErrors, seed + 1);

        assertThat(Judgement.conclusive(SPEC, next, before)).isEqualTo(Judgement.judge(SPEC, next, before).conclusive());
    }

    @Test
    void everyBoundOfEverySloIsACheck() {
        assertThat(Judgement.checks(SPEC)).isEqualTo(4);
        assertThat(Judgement.judge(SPEC, window(200, 100, 0, 1), List.of()).evidence()).hasSize(4);
    }

    @Test
    void aWindowWithoutDataCarriesTheEvidenceOverUnchanged() {
        List<Evidence> before = Judgement.judge(SPEC, window(200, 100, 0, 1), List.of()).evidence();

        Judgement.Result idle = Judgement.judge(SPEC, window(10, 100, 0, 2), before);

        assertThat(idle.outcome()).isEqualTo(Judgement.Outcome.NODATA);
        assertThat(idle.slos()).extracting(r -> r.getOutcome()).containsOnly(SloOutcome.NODATA);
        assertThat(idle.evidence()).isEqualTo(before);
    }

    @Test
    void aBoundTheEvidenceDoesNotYetShowHoldingIsNamedWithItsUpperBound() {
        Judgement.Result slower = Judgement.judge(SPEC, window(500, 118, 0, 3), List.of());

        assertThat(slower.unproven()).anySatisfy(check -> assertThat(check)
                .matches("p95 <= baseline \\+10 % \\(pooled 1\\.\\d+×, upper bound 1\\.\\d+× at 95 % confidence, over 1 window\\)"));
    }

    @Test
    void aRelativeErrorBoundWithNoErrorsOnEitherSideDoesNotHoldPromotionBack() {
        Judgement.Result clean = Judgement.judge(SPEC, window(500, 100, 0, 4), List.of());

        assertThat(clean.unproven()).noneMatch(check -> check.startsWith("error rate"));
    }

    @Test
    void aP99WithFewerRequestsThanItIsJudgedOnHasNoDataAndSaysWhy() {
        RolloutSpec spec = spec("search", latency(0.99, null, 0.1)).build();

        Judgement.Result result = Judgement.judge(spec, window(300, 100, 0, 5), List.of());

        assertThat(result.outcome()).isEqualTo(Judgement.Outcome.NODATA);
        assertThat(result.slos().get(0).getReason()).isEqualTo("canary has 300 requests, fewer than the 500 a p99 is judged on");
    }
}
