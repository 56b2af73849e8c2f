package io.rollcall.rollout;

import static io.rollcall.rollout.RolloutDriver.GRACE;
import static io.rollcall.rollout.RolloutDriver.T0;
import static io.rollcall.rollout.RolloutDriver.WINDOW;
import static io.rollcall.rollout.RolloutDriver.errorRate;
import static io.rollcall.rollout.RolloutDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.schema.avro.SloResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When analysis windows close, with the events topic in two partitions: the driver's sampler
 * reads partition 0, and the test plays the sampler of partition 1 (its samples and progress).
 */
class WindowClosingTest {

    @TempDir
    Path stateDir;

    private RolloutDriver driver;
    private String service;

    @BeforeEach
    void start() {
        driver = new RolloutDriver(stateDir, 2);
        service = driver.serviceOnPartitionZero("checkout");
        driver.put(spec(service, errorRate(0.05, null)).setRolloutId("r1").setFailureLimit(1).build());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** {@code n} healthy canary requests evenly over [from, to), through the events topic (partition 0). */
    private void requests(long from, long to, int n) {
        for (int i = 0; i < n; i++) {
            driver.request(service, "v2", from + i * (to - from) / n, 50, false);
        }
    }

    /** {@code n} healthy canary samples evenly over [from, to), from partition 1. */
    private void samplesFromPartitionOne(long from, long to, int n) {
        for (int i = 0; i < n; i++) {
            driver.sampled(service, new Sample("r1", Role.CANARY, 50, false, from + i * (to - from) / n));
        }
    }

    private static long canarySamples(RolloutVerdict verdict) {
        return verdict.getResults().stream().mapToLong(SloResult::getCanarySamples).max().orElse(0);
    }

    @Test
    void aWindowWaitsForAPartitionLaggingLongerThanTheGraceAndCountsAllItsSamples() {
        driver.progress(1, T0);
        requests(T0, T0 + WINDOW, 100);
        samplesFromPartitionOne(T0, T0 + WINDOW / 2, 50);
        driver.progress(1, T0 + WINDOW / 2);

        driver.closeWindow(0);
        driver.advanceTo(driver.now() + 3 * GRACE);
        assertThat(driver.verdicts()).as("partition 1 has not passed the window's end").isEmpty();

        samplesFromPartitionOne(T0 + WINDOW / 2, T0 + WINDOW, 50);
        driver.progress(1, T0 + WINDOW + GRACE);
        driver.advanceTo(driver.now() + 2 * RolloutDriver.TICK);

        List<RolloutVerdict> verdicts = driver.verdicts();
        assertThat(verdicts).extracting(RolloutVerdict::getWindow).containsExactly(0);
        assertThat(canarySamples(verdicts.get(0))).isEqualTo(200);
        assertThat(driver.lateSamples(service)).isZero();
    }

    @Test
    void aQuietPartitionDoesNotHoldWindowsBack() {
        // Partition 0 delivers no events at all; partition 1 carries the traffic and is caught up.
        samplesFromPartitionOne(T0, T0 + WINDOW, 100);
        driver.progress(1, T0 + WINDOW + GRACE);

        driver.closeWindow(0);

        List<RolloutVerdict> verdicts = driver.verdicts();
        assertThat(verdicts).extracting(RolloutVerdict::getWindow).containsExactly(0);
        assertThat(canarySamples(verdicts.get(0))).isEqualTo(100);
    }

    @Test
    void noWindowClosesBeforeEveryPartitionHasReported() {
        requests(T0, T0 + WINDOW, 100);

        driver.closeWindow(2);

        assertThat(driver.verdicts()).isEmpty();
    }

    @Test
    void anEarlyRollbackRightAfterAWindowBoundaryComesAfterTheVerdictsOfEveryClosedWindowInOrder() {
        driver.progress(1, T0);
        requests(T0, T0 + 2 * WINDOW, 200);
        driver.closeWindow(1);
        assertThat(driver.verdicts()).as("partition 1 holds windows 0 and 1").isEmpty();

        // Partition 1 passes both windows, and before the judge's next tick the canary starts failing.
        driver.progress(1, T0 + 2 * WINDOW + GRACE);
        List<RolloutVerdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 200 && verdicts.stream().noneMatch(v -> v.getDecision() == Decision.ROLLBACK); i++) {
            driver.request(service, "v2", T0 + 2 * WINDOW + GRACE + i, 50, true);
            verdicts.addAll(driver.verdicts());
        }

        assertThat(verdicts).extracting(RolloutVerdict::getWindow).containsExactly(0, 1, 2);
        assertThat(verdicts).extracting(RolloutVerdict::getDecision)
                .containsExactly(Decision.CONTINUE, Decision.CONTINUE, Decision.ROLLBACK);
        assertThat(verdicts.get(2).getEarly()).isTrue();
    }
}
