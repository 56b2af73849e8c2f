package io.rollcall.it;

import static io.rollcall.it.FlaggerWebhooks.CONFIRM_PROMOTION;
import static io.rollcall.it.FlaggerWebhooks.PRE_ROLLOUT;
import static io.rollcall.it.FlaggerWebhooks.ROLLBACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Flagger's side of a canary run, replayed against a live app: the webhooks of
 * {@code k8s/flagger/canary.yaml}, called with the payloads Flagger sends, while the canary's
 * and the primary's pods send their requests. Flagger counts an answer up to 202 as a pass.
 * Each test is one run of the Canary (its own checksum) on the two instances all tests share;
 * Flagger calls the first, which judges the run or forwards the read to the one that does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlaggerGateIT {

    private static final int LAST_PASS = 202;
    private static final Duration VERDICT = Duration.ofSeconds(50);

    private RollcallConfig config;
    private RollcallApp app;
    private RollcallApp other;
    private FlaggerWebhooks flagger;
    private CanaryTraffic traffic;

    @BeforeAll
    void start() throws Exception {
        FlaggerWebhooks canary = FlaggerWebhooks.read();
        config = Fixtures.rolloutConfig("flagger", canary.token());
        app = RollcallApp.start(config);
        other = RollcallApp.start(config.with(Map.of("rollcall.state.dir",
                Files.createTempDirectory("rollcall-it-flagger-other").toString())));
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        assertThat(other.awaitRunning(Duration.ofSeconds(60))).isTrue();
        flagger = canary.at(Api.of(app, null));
    }

    @AfterEach
    void stopTraffic() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
    }

    @AfterAll
    void stop() {
        try (RollcallApp closing = app) {
            other.close();
        }
    }

    /** Starts a run whose canary fails {@code errorRate} of its requests; returns its checksum. */
    private String startRun(TestInfo test, String run, double errorRate) {
        traffic = new CanaryTraffic(config, flagger.name(), flagger.primaryRevision(), flagger.canaryRevision());
        traffic.canaryErrorRate.set(errorRate);
        String checksum = FlaggerWebhooks.checksum(test.getDisplayName() + run);
        assertThat(flagger.call(PRE_ROLLOUT, checksum).statusCode()).isBetween(200, LAST_PASS);
        return checksum;
    }

    private boolean passes(String hook, String checksum) {
        return flagger.call(hook, checksum).statusCode() <= LAST_PASS;
    }

    @Test
    void aHealthyCanaryPassesThePromotionGateAndNeverTheRollbackGate(TestInfo test) {
        String run = startRun(test, "v2", 0.0);
        await().atMost(VERDICT).pollInterval(Duration.ofMillis(500))
                .failFast("the rollback gate passed for a healthy canary", () -> passes(ROLLBACK, run))
                .until(() -> passes(CONFIRM_PROMOTION, run));
    }

    @Test
    void aFailingCanaryPassesTheRollbackGateAndNeverThePromotionGate(TestInfo test) {
        String run = startRun(test, "v2", 0.3);
        await().atMost(VERDICT).pollInterval(Duration.ofMillis(500))
                .failFast("the promotion gate passed for a failing canary", () -> passes(CONFIRM_PROMOTION, run))
                .until(() -> passes(ROLLBACK, run));
    }

    @Test
    void aNewRunRightAfterARollbackIsNotAnsweredWithTheOldRunsDecision(TestInfo test) {
        String rolledBack = startRun(test, "v2", 0.3);
        await().atMost(VERDICT).pollInterval(Duration.ofMillis(500)).until(() -> passes(ROLLBACK, rolledBack));
        traffic.canaryErrorRate.set(0.0);
        String next = FlaggerWebhooks.checksum(test.getDisplayName() + "v3");
        assertThat(flagger.call(PRE_ROLLOUT, next).statusCode()).isBetween(200, LAST_PASS);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var rollback = flagger.call(ROLLBACK, next);
            JsonNode gate = Api.parse(rollback.body());
            assertThat(rollback.statusCode()).isGreaterThan(LAST_PASS);
            assertThat(gate.path("rolloutId").asText()).endsWith(next);
            assertThat(gate.path("decision").asText()).isIn("PENDING", "HOLD", "CONTINUE");
        });
        assertThat(flagger.call(CONFIRM_PROMOTION, next).statusCode()).isGreaterThan(LAST_PASS);
        assertThat(passes(ROLLBACK, rolledBack)).as("the first run's rollback gate").isTrue();
    }

    @Test
    void aPodTemplateJudgedBeforeIsRefusedWhenItIsDeployedAgainAfterAnotherRun(TestInfo test) {
        String rolledBack = startRun(test, "v2", 0.3);
        await().atMost(VERDICT).pollInterval(Duration.ofMillis(500)).until(() -> passes(ROLLBACK, rolledBack));
        String other = FlaggerWebhooks.checksum(test.getDisplayName() + "v3");
        assertThat(flagger.call(PRE_ROLLOUT, other).statusCode()).isBetween(200, LAST_PASS);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var again = flagger.call(PRE_ROLLOUT, rolledBack);
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(Api.parse(again.body()).path("error").asText()).contains("judged already (ROLLBACK)");
        });
    }

    @Test
    void theGatesAnswerOnAnInstanceThatDoesNotJudgeTheRollout(TestInfo test) {
        String rolledBack = startRun(test, "v2", 0.3);
        await().atMost(VERDICT).pollInterval(Duration.ofMillis(500)).until(() -> passes(ROLLBACK, rolledBack));
        String judge = Api.of(app, null).json("/api/v1/rollouts/" + flagger.name()).path("servedBy").asText();
        assertThat(judge).isIn(app.instance(), other.instance());
        RollcallApp elsewhere = judge.equals(app.instance()) ? other : app;
        FlaggerWebhooks forwarded = flagger.at(Api.of(elsewhere, null));

        assertThat(forwarded.call(ROLLBACK, rolledBack).statusCode()).isEqualTo(200);
        assertThat(forwarded.call(CONFIRM_PROMOTION, rolledBack).statusCode()).isEqualTo(409);
    }
}
