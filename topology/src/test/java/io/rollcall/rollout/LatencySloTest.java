package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.rollout.SpecValidator.Problem;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class LatencySloTest {

    private static final OptionalDouble NONE = OptionalDouble.empty();

    private static RoleStats requests(int n, double latencyMs) {
        RoleStats stats = RoleStats.empty();
        for (int i = 0; i < n; i++) {
            stats = stats.add(latencyMs, false);
        }
        return stats;
    }

    @Test
    void parsesAThresholdInMilliseconds() {
        assertThat(SloRule.parse("p95<=300ms")).isEqualTo(new LatencySlo(0.95, OptionalDouble.of(300), NONE));
    }

    @Test
    void parsesAThresholdInSeconds() {
        assertThat(SloRule.parse("p99<=1.5s")).isEqualTo(new LatencySlo(0.99, OptionalDouble.of(1500), NONE));
    }

    @Test
    void parsesAThresholdWithoutUnitAsMilliseconds() {
        assertThat(SloRule.parse("p95<=300")).isEqualTo(new LatencySlo(0.95, OptionalDouble.of(300), NONE));
    }

    @Test
    void parsesAThresholdAndAnAllowance() {
        assertThat(SloRule.parse("p95<=300ms+20%"))
                .isEqualTo(new LatencySlo(0.95, OptionalDouble.of(300), OptionalDouble.of(0.2)));
    }

    @Test
    void parsesAnAllowanceAlone() {
        assertThat(SloRule.parse("p95<=+10%")).isEqualTo(new LatencySlo(0.95, NONE, OptionalDouble.of(0.1)));
    }

    @Test
    void readsTheSpecsFields() {
        Slo spec = Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(0.99).setThreshold(250.0)
                .setMaxRelativeIncrease(0.5).build();

        assertThat(SloRule.of(spec)).isEqualTo(new LatencySlo(0.99, OptionalDouble.of(250), OptionalDouble.of(0.5)));
    }

    @Test
    void writesTheSpecItWasReadFrom() {
        Slo spec = Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(0.95).setMaxRelativeIncrease(0.2).build();

        assertThat(SloRule.of(spec).toAvro()).isEqualTo(spec);
    }

    @Test
    void aQuantileIsJudgedOnlyWithFiveRequestsBeyondIt() {
        assertThat(List.of(0.5, 0.9, 0.95, 0.99, 0.999)).extracting(
                q -> new LatencySlo(q, OptionalDouble.of(300), NONE).samplesNeeded())
                .containsExactly(10, 50, 100, 500, 5000);
    }

    @Test
    void needsAQuantile() {
        Slo spec = Slo.newBuilder().setKind(SloKind.LATENCY).setThreshold(300.0).build();

        assertThat(SloRule.problems(spec, "slos[0]")).containsExactly(
                new Problem("slos[0].quantile", "a LATENCY SLO needs a quantile in (0, 1), e.g. 0.95, got null"));
    }

    @Test
    void needsTheQuantileAsAFractionNotAPercentage() {
        Slo spec = Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(95.0).setThreshold(300.0).build();

        assertThat(SloRule.problems(spec, "slos[0]")).containsExactly(
                new Problem("slos[0].quantile", "a LATENCY SLO needs a quantile in (0, 1), e.g. 0.95, got 95.0"));
    }

    @Test
    void needsAPositiveThreshold() {
        Slo spec = Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(0.95).setThreshold(0.0).build();

        assertThat(SloRule.problems(spec, "slos[0]")).containsExactly(
                new Problem("slos[0].threshold", "must be a positive number of ms, got 0.0"));
    }

    @Test
    void passesWhenTheCanaryIsWithinTheThreshold() {
        SloResult result = RolloutDriver.judge("p95<=300ms", requests(200, 100), RoleStats.empty());

        assertThat(result.getOutcome()).isEqualTo(SloOutcome.PASS);
        assertThat(result.getSlo()).isEqualTo("p95 <= 300 ms");
        assertThat(result.getReason()).startsWith("canary p95 ")
                .contains(" over 200 requests, within the limit 300 ms; evidence over 1 window: likelihood ratio ");
    }

    @Test
    void failsWhenTheCanaryIsConclusivelyOverTheThreshold() {
        SloResult result = RolloutDriver.judge("p95<=300ms", requests(200, 500), RoleStats.empty());

        assertThat(result.getOutcome()).isEqualTo(SloOutcome.FAIL);
        assertThat(result.getReason()).matches("canary p95 \\d+ ms over 200 requests, limit 300 ms: beyond it at 91.4 % "
                + "confidence \\(lower bound \\d+ ms\\); evidence over 1 window: likelihood ratio .+ \\(conclusive at 25\\)");
    }

    @Test
    void failsWhenTheCanaryIsConclusivelySlowerThanTheBaselineAllows() {
        SloResult result = RolloutDriver.judge("p95<=+10%", requests(200, 200), requests(200, 100));

        assertThat(result.getOutcome()).isEqualTo(SloOutcome.FAIL);
        assertThat(result.getReason()).matches("canary p95 \\d+ ms = [12]\\.\\d\\d× baseline \\d+ ms over 200 and 200 requests, "
                + "limit 1.10×: beyond it at 91.4 % confidence \\(lower bound 1.\\d\\d×\\); evidence over 1 window: .+");
    }

    @Test
    void showsValuesInMilliseconds() {
        SloRule slo = SloRule.parse("p95<=300ms");

        assertThat(slo.format(1234.4)).isEqualTo("1,234 ms");
        assertThat(slo.format(12.34)).isEqualTo("12.3 ms");
        assertThat(slo.format(1.234)).isEqualTo("1.23 ms");
    }
}
