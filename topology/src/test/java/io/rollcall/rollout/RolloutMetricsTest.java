package io.rollcall.rollout;

import static io.rollcall.rollout.RolloutDriver.GRACE;
import static io.rollcall.rollout.RolloutDriver.errorRate;
import static io.rollcall.rollout.RolloutDriver.latency;
import static io.rollcall.rollout.RolloutDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the judge records in its meters: verdicts, held windows, its delay, and each rollout's latest decision. */
class RolloutMetricsTest {

    @TempDir
    Path stateDir;

    private RolloutDriver driver;
    private final Random random = new Random(42);

    @BeforeEach
    void start() {
        driver = new RolloutDriver(stateDir);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void healthyWindow(String service, int index) {
        driver.traffic(service, "v1", index, 300, 100, 0.002, random);
        driver.traffic(service, "v2", index, 300, 100, 0.002, random);
    }

    private double counter(String name, String... tags) {
        return driver.meters().get(name).tags(tags).counter().count();
    }

    /** The decision gauges of {@code service}: decision → value, for every rollout shown. */
    private Map<String, Double> decisions(String service) {
        return decisions(driver.meters(), service);
    }

    private static Map<String, Double> decisions(MeterRegistry meters, String service) {
        Map<String, Double> out = new TreeMap<>();
        for (Gauge gauge : meters.find("rollcall.rollout.decision").tag("service", service).gauges()) {
            out.put(gauge.getId().getTag("rollout") + "/" + gauge.getId().getTag("decision"), gauge.value());
        }
        return out;
    }

    @Test
    void aServiceUnderRolloutHasItsVerdictCountersAtZeroBeforeItsFirstVerdict() {
        driver.put(spec("checkout", errorRate(0.01, null)).build());

        assertThat(counter("rollcall.rollout.verdicts", "service", "checkout", "decision", "rollback")).isZero();
        assertThat(counter("rollcall.rollout.windows.held", "service", "checkout", "reason", "no_traffic")).isZero();
    }

    @Test
    void windowsWithoutTrafficAreCountedAsHeldForNoTraffic() {
        driver.put(spec("idle", latency(0.95, 320.0, null)).build());
        driver.closeWindow(1);

        assertThat(driver.verdicts()).hasSize(2);
        assertThat(counter("rollcall.rollout.verdicts", "service", "idle", "decision", "hold")).isEqualTo(2);
        assertThat(counter("rollcall.rollout.windows.held", "service", "idle", "reason", "no_traffic")).isEqualTo(2);
        assertThat(counter("rollcall.rollout.windows.held", "service", "idle", "reason", "too_little_data")).isZero();
    }

    @Test
    void aWindowWithTooFewSamplesIsCountedAsHeldForTooLittleData() {
        driver.put(spec("rare", errorRate(0.01, null)).build());
        for (int i = 0; i < 20; i++) {
            driver.request("rare", "v2", RolloutDriver.T0 + i * 100L, 30, false);
        }
        driver.closeWindow(0);

        assertThat(counter("rollcall.rollout.windows.held", "service", "rare", "reason", "too_little_data"))
                .isEqualTo(1);
        assertThat(counter("rollcall.rollout.windows.held", "service", "rare", "reason", "no_traffic")).isZero();
    }

    @Test
    void theDecisionGaugeIsOneForTheLatestDecisionAndZeroForTheOthers() {
        driver.put(spec("checkout", latency(0.95, 320.0, null)).build());
        driver.closeWindow(0);
        healthyWindow("checkout", 1);
        driver.closeWindow(1);

        assertThat(decisions("checkout")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "checkout-r1/continue", 1.0, "checkout-r1/hold", 0.0, "checkout-r1/promote", 0.0,
                "checkout-r1/rollback", 0.0));
    }

    @Test
    void theDecisionSeriesAreRemovedWithTheRollout() {
        driver.put(spec("profile", latency(0.95, 320.0, null)).build());
        driver.closeWindow(0);
        assertThat(decisions("profile")).isNotEmpty();

        driver.remove("profile");
        driver.advanceTo(driver.now() + 2 * RolloutDriver.TICK);

        assertThat(decisions("profile")).isEmpty();
    }

    @Test
    void theDecisionSeriesAreRemovedWhenTheJudgeTaskCloses() {
        driver.put(spec("profile", latency(0.95, 320.0, null)).build());
        driver.closeWindow(0);
        assertThat(decisions("profile")).isNotEmpty();
        MeterRegistry meters = driver.meters();

        driver.close();
        driver = null;

        assertThat(decisions(meters, "profile")).isEmpty();
    }

    @Test
    void aReplacedRolloutGivesWayToTheNewOne() {
        driver.put(spec("cart", latency(0.95, 320.0, null)).build());
        driver.closeWindow(0);
        driver.put(spec("cart", latency(0.95, 320.0, null)).setRolloutId("cart-r2").build());
        driver.closeWindow(1);

        assertThat(decisions("cart")).containsOnlyKeys("cart-r2/continue", "cart-r2/hold", "cart-r2/promote",
                "cart-r2/rollback");
    }

    @Test
    void theJudgeDelayIsTheWallClockFromTheWindowsEndToItsVerdict() {
        driver.put(spec("idle", latency(0.95, 320.0, null)).build());
        driver.closeWindow(0);

        Timer delay = driver.meters().get("rollcall.rollout.judge.delay").timer();
        assertThat(delay.count()).isEqualTo(1);
        // Closed once a quiet partition's event time (the wall clock less idle) passed the end plus grace.
        assertThat(delay.totalTime(TimeUnit.MILLISECONDS)).isBetween((double) GRACE,
                (double) GRACE + RolloutDriver.IDLE + 2 * RolloutDriver.TICK);
    }
}
