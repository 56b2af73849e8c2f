package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.rollout.SpecValidator.Problem;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ErrorRateSloTest {

    private static final OptionalDouble NONE = OptionalDouble.empty();

    private static RoleStats requests(int n, int errors) {
        RoleStats stats = RoleStats.empty();
        for (int i = 0; i < n; i++) {
            stats = stats.add(100, i < errors);
        }
        return stats;
    }

    @Test
    void parsesAThresholdInPerCent() {
        assertThat(SloRule.parse("errors<=1%")).isEqualTo(new ErrorRateSlo(OptionalDouble.of(0.01), NONE));
    }

    @Test
    void parsesTheSingularName() {
        assertThat(SloRule.parse("error<=2.5%")).isEqualTo(new ErrorRateSlo(OptionalDouble.of(0.025), NONE));
    }

    @Test
    void parsesAThresholdAndAnAllowance() {
        assertThat(SloRule.parse("errors<=1%+50%"))
                .isEqualTo(new ErrorRateSlo(OptionalDouble.of(0.01), OptionalDouble.of(0.5)));
    }

    @Test
    void parsesAnAllowanceAlone() {
        assertThat(SloRule.parse("errors<=+1%")).isEqualTo(new ErrorRateSlo(NONE, OptionalDouble.of(0.01)));
    }

    @Test
    void readsTheSpecsFields() {
        Slo spec = Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(0.02).setMaxRelativeIncrease(0.5).build();

        assertThat(SloRule.of(spec)).isEqualTo(new ErrorRateSlo(OptionalDouble.of(0.02), OptionalDouble.of(0.5)));
    }

    @Test
    void writesTheSpecItWasReadFrom() {
        Slo spec = Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(0.01).build();

        assertThat(SloRule.of(spec).toAvro()).isEqualTo(spec);
    }

    @Test
    void hasNoQuantile() {
        Slo spec = Slo.newBuilder().setKind(SloKind.ERROR_RATE).setQuantile(0.95).setThreshold(0.01).build();

        assertThat(SloRule.problems(spec, "slos[1]"))
                .containsExactly(new Problem("slos[1].quantile", "only LATENCY SLOs have a quantile"));
    }

    @Test
    void needsTheThresholdAsAFraction() {
        Slo spec = Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(5.0).build();

        assertThat(SloRule.problems(spec, "slos[1]")).containsExactly(
                new Problem("slos[1].threshold", "an error rate is a fraction from 0 to 1, got 5.0"));
    }

    @Test
    void passesWhenTheCanaryIsWithinTheThreshold() {
        SloResult result = RolloutDriver.judge("errors<=1%", requests(200, 0), RoleStats.empty());

        assertThat(result.getOutcome()).isEqualTo(SloOutcome.PASS);
        assertThat(result.getSlo()).isEqualTo("error rate <= 1 %");
        assertThat(result.getReason()).isEqualTo("canary error rate 0 % over 200 requests, within the limit 1 %; "
                + "evidence over 1 window: likelihood ratio 0.19 (conclusive at 25)");
    }

    @Test
    void passesAnInconclusiveExcessNamingItsLowerBound() {
        SloResult result = RolloutDriver.judge("errors<=1%", requests(200, 3), RoleStats.empty());

        assertThat(result.getOutcome()).isEqualTo(SloOutcome.PASS);
        assertThat(result.getReason()).startsWith("canary error rate 1.5 % over 200 requests, limit 1 %: "
                + "above it, but not conclusively in this window (lower bound 0.54 %)");
    }

    @Test
    void failsWhenTheCanarysLowerBoundExceedsTheThreshold() {
        SloResult result = RolloutDriver.judge("errors<=1%", requests(200, 40), RoleStats.empty());

        // 20 % − 1.366 × √(1 % × 99 % / 200) = 19.0 %: the standard error at the bound, 1 %, and
        // the first window of a single check failing at 91.4 % (FalseAlarms).
        assertThat(result.getOutcome()).isEqualTo(SloOutcome.FAIL);
        assertThat(result.getReason()).startsWith(
                "canary error rate 20 % over 200 requests, limit 1 %: beyond it at 91.4 % confidence (lower bound 19 %); "
                + "evidence over 1 window: likelihood ratio ");
    }

    @Test
    void aLowerBoundJustOverTheThresholdShowsTheDigitsThatTellThemApart() {
        // 141 errors of 10,000: 1.41 % − 1.366 × √(1.25 % × 98.75 % / 10,000) = 1.258 %, which at the
        // error rate's usual one decimal would read "1.3 %" against a limit that reads "1.3 %" too.
        SloResult result = RolloutDriver.judge("errors<=1.25%", requests(10_000, 141), RoleStats.empty());

        assertThat(result.getReason()).contains("limit 1.25 %: ").contains("(lower bound 1.26 %)");
    }

    @Test
    void failsWhenTheCanaryConclusivelyExceedsTheBaselineAndItsAllowance() {
        SloResult result = RolloutDriver.judge("errors<=+50%", requests(200, 40), requests(200, 2));

        assertThat(result.getOutcome()).isEqualTo(SloOutcome.FAIL);
        assertThat(result.getReason()).startsWith("canary error rate 20 % vs baseline 1 % +50 % over 200 and "
                + "200 requests, limit 1.5 %: beyond it at 91.4 % confidence (lower bound ");
    }

    @Test
    void hasNoDataWhenOnlyRelativeAndTheBaselineIsTooSmall() {
        SloResult result = RolloutDriver.judge("errors<=+50%", requests(200, 40), requests(10, 0));

        assertThat(result.getOutcome()).isEqualTo(SloOutcome.NODATA);
        assertThat(result.getReason()).isEqualTo("baseline has 10 requests, fewer than 50");
    }

    @Test
    void showsValuesAsPercentages() {
        SloRule slo = SloRule.parse("errors<=1%");

        assertThat(slo.format(0.2)).isEqualTo("20 %");
        assertThat(slo.format(0.015)).isEqualTo("1.5 %");
        assertThat(slo.format(0.0012)).isEqualTo("0.12 %");
    }
}
