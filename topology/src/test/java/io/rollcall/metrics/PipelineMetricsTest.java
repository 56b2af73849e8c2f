package io.rollcall.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rollcall.metrics.PipelineMetrics.Forwarded;
import io.rollcall.schema.avro.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry);

    @Test
    void everyDeadLetterReasonIsThereAtZeroFromTheStart() {
        assertThat(registry.find("rollcall.events.dead.lettered").counters())
                .extracting(c -> c.getId().getTag("reason"))
                .containsExactlyInAnyOrder("bad_key", "null_value", "too_large", "bad_framing", "unknown_schema",
                        "malformed", "incompatible_schema", "invalid_event");
        assertThat(registry.find("rollcall.events.dead.lettered").counters()).allMatch(c -> c.count() == 0);
    }

    @Test
    void everyForwardingOutcomeIsThereAtZeroFromTheStart() {
        assertThat(registry.find("rollcall.reads.forwarded").counters())
                .extracting(c -> c.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("ok", "not_found", "unavailable", "error");
    }

    @ParameterizedTest
    @CsvSource({"200, OK", "204, OK", "404, NOT_FOUND", "503, UNAVAILABLE", "500, ERROR", "400, ERROR"})
    void aForwardedAnswerIsClassifiedByItsStatus(int status, Forwarded outcome) {
        assertThat(Forwarded.of(status)).isEqualTo(outcome);
    }

    @Test
    void aDecisionShowsOneSeriesPerDecisionWithOneForTheLatest() {
        metrics.decided("checkout", "checkout-1", Decision.HOLD);
        metrics.decided("checkout", "checkout-1", Decision.CONTINUE);

        assertThat(registry.find("rollcall.rollout.decision").gauges()).hasSize(Decision.values().length);
        assertThat(registry.get("rollcall.rollout.decision").tag("decision", "continue").gauge().value()).isEqualTo(1);
        assertThat(registry.get("rollcall.rollout.decision").tag("decision", "hold").gauge().value()).isZero();
    }

    @Test
    void aForgottenRolloutLeavesNoSeriesAndOthersKeepTheirs() {
        metrics.decided("checkout", "checkout-1", Decision.CONTINUE);
        metrics.decided("search", "search-1", Decision.ROLLBACK);

        metrics.forget("checkout", "checkout-1");

        assertThat(registry.find("rollcall.rollout.decision").tag("service", "checkout").gauges()).isEmpty();
        assertThat(registry.get("rollcall.rollout.decision").tags("service", "search", "decision", "rollback")
                .gauge().value()).isEqualTo(1);
    }

    @Test
    void aRolloutDecidedAgainAfterItWasForgottenIsShownAgain() {
        metrics.decided("checkout", "checkout-1", Decision.CONTINUE);
        metrics.forget("checkout", "checkout-1");

        metrics.decided("checkout", "checkout-1", Decision.PROMOTE);

        assertThat(registry.get("rollcall.rollout.decision").tag("decision", "promote").gauge().value()).isEqualTo(1);
    }

    @Test
    void aStaleReadOfUnknownLagIsCountedButLeavesTheLagAlone() {
        metrics.staleRead(12);
        metrics.staleRead(-1);

        assertThat(registry.get("rollcall.reads.stale").counter().count()).isEqualTo(2);
        assertThat(registry.get("rollcall.reads.stale.lag").summary().count()).isEqualTo(1);
        assertThat(registry.get("rollcall.reads.stale.lag").summary().totalAmount()).isEqualTo(12);
    }
}
