package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FalseAlarmsTest {

    @Test
    void theConclusiveRatioIsTheNumberOfChecksOverTheEvidencesShareOfAlpha() {
        assertThat(new FalseAlarms(0.05, 1, 2).conclusiveAt()).isEqualTo(25.0);
        assertThat(new FalseAlarms(0.01, 3, 2).conclusiveAt()).isEqualTo(375.0);
    }

    @Test
    void windowsFailAtFallingLevels() {
        FalseAlarms alarms = new FalseAlarms(0.05, 2, 2);

        assertThat(alarms.windowLevel(1)).isGreaterThan(alarms.windowLevel(2));
        assertThat(alarms.windowLevel(2)).isGreaterThan(alarms.windowLevel(3));
        assertThat(alarms.windowZ(1)).isLessThan(alarms.windowZ(2));
    }

    @Test
    void theChanceOfFailureLimitWindowsFailingStaysWithinTheWindowsShareOfAlpha() {
        for (int failureLimit = 1; failureLimit <= 6; failureLimit++) {
            FalseAlarms alarms = new FalseAlarms(0.05, 2, failureLimit);
            // Σ over checks and windows of the levels, S; the chance f of them fail is at most S^f / f!.
            double sum = 2 * IntStream.rangeClosed(1, 1_000_000).mapToDouble(alarms::windowLevel).sum();
            double factorial = IntStream.rangeClosed(1, failureLimit).asDoubleStream().reduce(1, (a, b) -> a * b);

            assertThat(Math.pow(sum, failureLimit) / factorial).as("failureLimit %d", failureLimit)
                    .isLessThanOrEqualTo(0.05 * FalseAlarms.WINDOW_SHARE * (1 + 1e-9));
        }
    }

    @Test
    void aWindowsConfidenceNeverReadsHigherThanItIs() {
        FalseAlarms alarms = new FalseAlarms(0.05, 2, 2);

        assertThat(alarms.windowConfidence(1)).isEqualTo("95.7 %");
        assertThat(alarms.windowConfidence(3)).isEqualTo("99.52 %");
    }
}
