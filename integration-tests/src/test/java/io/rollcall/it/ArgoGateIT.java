package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.it.ArgoAnalysisRun.Measurement;
import io.rollcall.it.ArgoAnalysisRun.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Argo Rollouts gate of {@code k8s/argo/cluster-analysis-template.yaml} against a live app
 * on a real broker: each run replays what Argo's analysis controller and web provider do with
 * that file — its args substituted, its register request, its verdict polls, its own jsonPath
 * and conditions, its limits. The template's durations are replayed {@link #SPEED_UP} times
 * faster (a 10 s interval polls every 500 ms), and the rollouts use 2 s windows, so each run
 * takes seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArgoGateIT {

    private static final String TOKEN = "it-token-0123456789abcdef";
    private static final Path TEMPLATE = Path.of("..", "k8s", "argo", "cluster-analysis-template.yaml");
    private static final int SPEED_UP = 20;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final String STABLE = "6d4f8b7c5d";

    private final ArgoTemplate template = ArgoTemplate.read(TEMPLATE);
    private RollcallConfig config;
    private RollcallApp app;

    @BeforeAll
    void start() throws Exception {
        config = Fixtures.rolloutConfig("argo-gate", TOKEN);
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    /** What a Rollout passes (the hashes through podTemplateHashValue) plus short windows, and the Secret's token. */
    private Map<String, String> args(String service, String canaryHash) {
        Map<String, String> given = new HashMap<>(Map.of("service", service, "stable-hash", STABLE,
                "canary-hash", canaryHash, "rollcall-url", "http://127.0.0.1:" + app.httpPort(),
                "analysis-window", "2s", "min-samples", "40", "failure-limit", "1", "success-windows", "2"));
        return template.args(given, Map.of("rollcall-api-token/token", TOKEN));
    }

    private ArgoAnalysisRun run(String service, String canaryHash, String... metrics) {
        return ArgoAnalysisRun.start(template, args(service, canaryHash),
                metrics.length == 0 ? template.metricNames() : List.of(metrics), SPEED_UP);
    }

    private int templateCount(String metric) {
        return template.metric(metric, args("any", "any")).path("count").asInt();
    }

    private static List<Measurement> withoutErrors(List<Measurement> measurements) {
        return measurements.stream().filter(m -> m.phase() != Phase.ERROR).toList();
    }

    @Test
    void aHealthyCanaryRegistersItselfAndEndsSuccessfulOnPromote() throws Exception {
        try (CanaryTraffic traffic = new CanaryTraffic(config, "cart", STABLE, "7b9c6d5f8a");
             ArgoAnalysisRun run = run("cart", "7b9c6d5f8a")) {
            assertThat(run.await(RUN_TIMEOUT)).isEqualTo(Phase.SUCCESSFUL);
            assertThat(run.metric("register").measurements()).extracting(Measurement::value)
                    .containsExactly("\"cart-" + STABLE + "-7b9c6d5f8a\"");
            List<Measurement> verdicts = withoutErrors(run.metric("verdict").measurements());
            assertThat(verdicts).last().extracting(Measurement::value).isEqualTo("\"PROMOTE\"");
            assertThat(verdicts).hasSizeLessThanOrEqualTo(templateCount("verdict"));
        }
    }

    @Test
    void aCanaryWithThirtyPercentErrorsEndsFailedOnRollback() throws Exception {
        try (CanaryTraffic traffic = new CanaryTraffic(config, "search", STABLE, "5c8d9e7f6b");
             ArgoAnalysisRun run = run("search", "5c8d9e7f6b")) {
            traffic.canaryErrorRate.set(0.3);
            assertThat(run.await(RUN_TIMEOUT)).isEqualTo(Phase.FAILED);
            assertThat(run.metric("verdict").phase()).isEqualTo(Phase.FAILED);
            assertThat(withoutErrors(run.metric("verdict").measurements())).last()
                    .extracting(Measurement::value).isEqualTo("\"ROLLBACK\"");
        }
    }

    /**
     * A run whose registration lands late, as when its PUT is retried after an error: the
     * verdict metric has polled {@code polls} times before the register metric runs.
     */
    private ArgoAnalysisRun registeredAfterPolls(String service, String canaryHash, int polls) throws Exception {
        ArgoAnalysisRun verdict = run(service, canaryHash, "verdict");
        await().atMost(RUN_TIMEOUT).until(() -> verdict.metric("verdict").measurements().size() >= polls);
        try (ArgoAnalysisRun register = run(service, canaryHash, "register")) {
            assertThat(register.await(RUN_TIMEOUT)).isEqualTo(Phase.SUCCESSFUL);
        }
        return verdict;
    }

    @Test
    void aNewCanaryAfterARollbackWaitsForItsOwnVerdictInsteadOfReadingTheOldOne() throws Exception {
        try (CanaryTraffic failing = new CanaryTraffic(config, "payments", STABLE, "8e7d6c5b4a");
             ArgoAnalysisRun first = run("payments", "8e7d6c5b4a")) {
            failing.canaryErrorRate.set(0.3);
            assertThat(first.await(RUN_TIMEOUT)).isEqualTo(Phase.FAILED);
        }
        // The service's latest decision is still the old ROLLBACK: an unbound poll would fail the new canary.
        assertThat(Api.of(app, null).json("/api/v1/rollouts/payments").path("decision").asText()).isEqualTo("ROLLBACK");

        try (CanaryTraffic healthy = new CanaryTraffic(config, "payments", STABLE, "9f8e7d6c5b");
             ArgoAnalysisRun second = registeredAfterPolls("payments", "9f8e7d6c5b", 1)) {
            assertThat(second.await(RUN_TIMEOUT)).isEqualTo(Phase.SUCCESSFUL);
            List<Measurement> verdicts = second.metric("verdict").measurements();
            assertThat(verdicts).extracting(Measurement::phase).doesNotContain(Phase.FAILED);
            assertThat(withoutErrors(verdicts)).first().extracting(Measurement::phase).isEqualTo(Phase.INCONCLUSIVE);
            assertThat(verdicts).last().extracting(Measurement::value).isEqualTo("\"PROMOTE\"");
        }
    }

    @Test
    void pollsBeforeTheRegistrationAreErrorsWithinTheLimitAndTheRunGoesOn() throws Exception {
        int errorLimit = template.metric("verdict", args("any", "any")).path("consecutiveErrorLimit").asInt();
        try (CanaryTraffic traffic = new CanaryTraffic(config, "checkout", STABLE, "4a5b6c7d8e");
             ArgoAnalysisRun verdict = registeredAfterPolls("checkout", "4a5b6c7d8e", 2)) {
            assertThat(verdict.await(RUN_TIMEOUT)).isEqualTo(Phase.SUCCESSFUL);
            assertThat(verdict.metric("verdict").measurements().subList(0, 2))
                    .extracting(Measurement::phase, Measurement::message)
                    .containsOnly(tuple(Phase.ERROR, "received non 2xx response code: 404"));
            assertThat(verdict.metric("verdict").maxConsecutiveError()).isBetween(2, errorLimit);
        }
    }
}
