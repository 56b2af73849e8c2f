package io.rollcall.rollout;

import static io.rollcall.rollout.RolloutDriver.latency;
import static io.rollcall.rollout.RolloutDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.SloKind;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosingTest {

    private static final RolloutSpec SPEC = spec("search", latency(0.95, null, 0.1)).setFailureLimit(2)
            .setSuccessWindows(3).build();
    private static final WindowStats SOME = WindowStats.empty();

    private static Judgement.Result result(Judgement.Outcome outcome, boolean conclusive, List<String> beyond) {
        SloResult slo = SloResult.newBuilder().setSlo("p95 <= baseline +10 %").setKind(SloKind.LATENCY).setOutcome(
                outcome == Judgement.Outcome.FAIL ? SloOutcome.FAIL : SloOutcome.PASS).setCanarySamples(500)
                .setBaselineSamples(500).setReason("the reason").build();
        return new Judgement.Result(List.of(slo), outcome, List.of(), conclusive, beyond);
    }

    @Test
    void aFailingWindowBelowTheFailureLimitContinues() {
        Closing closing = Closing.of(SPEC, 0, 0, 0, SOME, result(Judgement.Outcome.FAIL, false, List.of()));

        assertThat(closing.decision()).isEqualTo(Decision.CONTINUE);
        assertThat(closing.reason()).isEqualTo("continue: window 0 failed: the reason (failing windows 1 of 2)");
    }

    @Test
    void theFailingWindowThatReachesTheLimitRollsBack() {
        Closing closing = Closing.of(SPEC, 4, 2, 1, SOME, result(Judgement.Outcome.FAIL, false, List.of()));

        assertThat(closing.decision()).isEqualTo(Decision.ROLLBACK);
        assertThat(closing.passing()).isZero();
        assertThat(closing.failing()).isEqualTo(2);
    }

    @Test
    void conclusiveEvidenceRollsBackAtOnce() {
        Closing closing = Closing.of(SPEC, 2, 2, 0, SOME, result(Judgement.Outcome.FAIL, true, List.of()));

        assertThat(closing.decision()).isEqualTo(Decision.ROLLBACK);
        assertThat(closing.reason()).startsWith("rollback: window 2 failed, on conclusive evidence: the reason");
    }

    @Test
    void enoughPassingWindowsPromoteWhenTheEvidenceShowsEveryBoundHolds() {
        Closing closing = Closing.of(SPEC, 2, 2, 0, SOME, result(Judgement.Outcome.PASS, false, List.of()));

        assertThat(closing.decision()).isEqualTo(Decision.PROMOTE);
        assertThat(closing.reason()).isEqualTo("promote: window 2 passed (3 of 3 consecutive passing windows): the reason");
    }

    @Test
    void enoughPassingWindowsContinueWhileTheEvidenceDoesNotShowEveryBoundHolds() {
        Closing closing = Closing.of(SPEC, 2, 2, 0, SOME, result(Judgement.Outcome.PASS, false,
                List.of("p95 <= baseline +10 % (pooled 1.08×, upper bound 1.13× at 95 % confidence, over 3 windows)")));

        assertThat(closing.decision()).isEqualTo(Decision.CONTINUE);
        assertThat(closing.passing()).isEqualTo(3);
        assertThat(closing.reason()).startsWith("continue: window 2 passed (3 of 3 consecutive passing windows), but the "
                + "evidence so far does not show p95 <= baseline +10 % (pooled 1.08×, upper bound 1.13× at 95 % confidence, over 3 windows)");
    }

    @Test
    void tooLittleDataHolds() {
        Closing closing = Closing.of(SPEC, 0, 1, 0, SOME, result(Judgement.Outcome.NODATA, false, List.of()));

        assertThat(closing.decision()).isEqualTo(Decision.HOLD);
        assertThat(closing.passing()).isEqualTo(1);
        assertThat(closing.reason()).isEqualTo("hold: no traffic in window 0");
    }

    @Test
    void onlyConclusiveEvidenceEndsARolloutMidWindow() {
        assertThat(Closing.early(SPEC, 1, 0, result(Judgement.Outcome.FAIL, false, List.of()))).isEmpty();
        assertThat(Closing.early(SPEC, 1, 0, result(Judgement.Outcome.FAIL, true, List.of())))
                .hasValueSatisfying(closing -> assertThat(closing.reason())
                        .isEqualTo("rollback before window 1 closed, on conclusive evidence: the reason"));
    }
}
