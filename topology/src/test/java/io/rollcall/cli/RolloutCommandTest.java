package io.rollcall.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** The JSON that {@code rollout start --slo} sends for each SLO text. */
class RolloutCommandTest {

    @Test
    void aLatencySloBecomesTheSpecsFields() {
        assertThat(RolloutCommand.Start.slo("p95<=1s+20%").toString())
                .isEqualTo("{\"kind\":\"LATENCY\",\"quantile\":0.95,\"threshold\":1000.0,\"maxRelativeIncrease\":0.2}");
    }

    @Test
    void p5IsTheFifthPercentile() {
        assertThat(RolloutCommand.Start.slo("p5<=300ms").get("quantile").asDouble()).isEqualTo(0.05);
    }

    @Test
    void aRelativeOnlySloSendsNoThreshold() {
        assertThat(RolloutCommand.Start.slo("errors<=+1%").toString())
                .isEqualTo("{\"kind\":\"ERROR_RATE\",\"maxRelativeIncrease\":0.01}");
    }

    @Test
    void aBadSloIsAUsageErrorQuotingTheTextAndTheProblem() {
        ApiClient.CliError error = catchThrowableOfType(() -> RolloutCommand.Start.slo("p0<=300ms"),
                ApiClient.CliError.class);

        assertThat(error.exitCode).isEqualTo(2);
        assertThat(error).hasMessage("--slo 'p0<=300ms': 'p0' is not a quantile: the percentage must be above 0 and "
                + "below 100, e.g. p50, p95 or p99.9");
    }
}
