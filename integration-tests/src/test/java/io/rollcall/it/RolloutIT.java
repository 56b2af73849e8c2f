package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutVerdict;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rollouts on a real broker, through the HTTP API: writes need the token, bad specs are
 * refused naming the field, verdicts are published and served, and a restart of the app
 * mid-rollout still gives exactly one terminal verdict (read with read_committed).
 */
class RolloutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "it-token-0123456789abcdef";

    private static RollcallConfig config(String test) {
        return Fixtures.rolloutConfig(test, TOKEN);
    }

    private static HttpResponse<String> send(RollcallApp app, String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String spec(String rolloutId, int successWindows, String slos) {
        return """
                {"rolloutId": "%s", "baselineRevision": "v1", "canaryRevision": "v2",
                 "analysisWindow": "2s", "minSamples": 40, "failureLimit": 1, "successWindows": %d,
                 "slos": %s}""".formatted(rolloutId, successWindows, slos);
    }

    @Test
    void writesNeedTheTokenAndBadSpecsAreRefusedNamingTheField() throws Exception {
        RollcallConfig config = config("rollout-http");
        try (RollcallApp app = RollcallApp.start(config)) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            String good = spec("r1", 3, "[{\"kind\": \"ERROR_RATE\", \"threshold\": 0.01}]");

            HttpResponse<String> none = send(app, "PUT", "/api/v1/rollouts/checkout", good, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"rollcall\"");
            assertThat(send(app, "PUT", "/api/v1/rollouts/checkout", good, "wrong-token").statusCode()).isEqualTo(403);
            assertThat(send(app, "DELETE", "/api/v1/rollouts/checkout", null, null).statusCode()).isEqualTo(401);

            HttpResponse<String> bad = send(app, "PUT", "/api/v1/rollouts/checkout",
                    spec("r1", 3, "[{\"kind\": \"LATENCY\", \"threshold\": 300}]"), TOKEN);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("slos[0].quantile");
            HttpResponse<String> typo = send(app, "PUT", "/api/v1/rollouts/checkout",
                    good.replace("minSamples", "minSample"), TOKEN);
            assertThat(typo.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(typo.body()).get("field").asText()).isEqualTo("minSample");
            assertThat(send(app, "PUT", "/api/v1/rollouts/checkout", "not json", TOKEN).statusCode()).isEqualTo(400);

            HttpResponse<String> accepted = send(app, "PUT", "/api/v1/rollouts/checkout", good, TOKEN);
            assertThat(accepted.statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> status = send(app, "GET", "/api/v1/rollouts/checkout", null, null);
                assertThat(status.statusCode()).isEqualTo(200);
                JsonNode body = JSON.readTree(status.body());
                assertThat(body.get("rolloutId").asText()).isEqualTo("r1");
                assertThat(body.get("spec").get("slos").get(0).get("description").asText()).isEqualTo("error rate <= 1 %");
            });
            assertThat(JSON.readTree(send(app, "GET", "/api/v1/rollouts", null, null).body()).get("rollouts"))
                    .hasSize(1);
            assertThat(send(app, "GET", "/api/v1/rollouts/nobody", null, null).statusCode()).isEqualTo(404);

            assertThat(send(app, "DELETE", "/api/v1/rollouts/checkout", null, TOKEN).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void aFailingCanaryIsRolledBackAndTheVerdictIsServedWithItsReasons() throws Exception {
        RollcallConfig config = config("rollout-rollback");
        try (RollcallApp app = RollcallApp.start(config); CanaryTraffic traffic = new CanaryTraffic(config, "search")) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            assertThat(send(app, "PUT", "/api/v1/rollouts/search",
                    spec("search-1", 50, "[{\"kind\": \"ERROR_RATE\", \"threshold\": 0.01}]"), TOKEN).statusCode())
                    .isEqualTo(202);
            // Healthy first: CONTINUE verdicts arrive window by window.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    JSON.readTree(send(app, "GET", "/api/v1/rollouts/search", null, null).body())
                            .get("decision").asText()).isEqualTo("CONTINUE"));
            traffic.canaryErrorRate.set(0.4);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode status = JSON.readTree(send(app, "GET", "/api/v1/rollouts/search", null, null).body());
                assertThat(status.get("decision").asText()).isEqualTo("ROLLBACK");
                assertThat(status.get("status").asText()).isEqualTo("ROLLED_BACK");
                assertThat(status.get("latestVerdict").get("reason").asText()).contains("canary error rate");
            });
            JsonNode history = JSON.readTree(send(app, "GET", "/api/v1/rollouts/search/verdicts", null, null).body());
            List<String> decisions = new ArrayList<>();
            history.get("verdicts").forEach(v -> decisions.add(v.get("decision").asText()));
            assertThat(decisions).last().isEqualTo("ROLLBACK");
            assertThat(decisions.subList(0, decisions.size() - 1)).isSubsetOf("CONTINUE", "HOLD");
            // The judge counts its verdicts (Prometheus picks new Streams metrics up within 60 s).
            double rollbacks = app.streams().metrics().entrySet().stream()
                    .filter(e -> e.getKey().group().equals("stream-rollout-judge-metrics")
                            && e.getKey().name().equals("verdict-rollback-total"))
                    .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
            assertThat(rollbacks).isEqualTo(1.0);
            assertThat(send(app, "GET", "/metrics", null, null).body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aRestartMidRolloutStillGivesExactlyOneTerminalVerdict() throws Exception {
        RollcallConfig config = config("rollout-restart");
        try (CanaryTraffic traffic = new CanaryTraffic(config, "cart")) {
            try (RollcallApp first = RollcallApp.start(config)) {
                assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
                assertThat(send(first, "PUT", "/api/v1/rollouts/cart",
                        spec("cart-1", 6, "[{\"kind\": \"LATENCY\", \"quantile\": 0.95, \"threshold\": 500}]"), TOKEN)
                        .statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.verdicts(config).stream()
                        .filter(v -> v.getDecision() == Decision.CONTINUE).count() >= 2);
            }
            // Same application id and state directory: the judge's state comes back with it.
            try (RollcallApp second = RollcallApp.start(config)) {
                assertThat(second.awaitRunning(Duration.ofSeconds(60))).isTrue();
                await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.verdicts(config).stream()
                        .anyMatch(v -> v.getDecision() == Decision.PROMOTE));
                Thread.sleep(3_000); // a few more windows' time: nothing may follow the terminal verdict
            }
        }
        List<RolloutVerdict> verdicts = Fixtures.verdicts(config);
        List<RolloutVerdict> terminal = verdicts.stream()
                .filter(v -> v.getDecision() == Decision.PROMOTE || v.getDecision() == Decision.ROLLBACK).toList();
        assertThat(terminal).hasSize(1);
        assertThat(verdicts.get(verdicts.size() - 1)).isEqualTo(terminal.get(0));
        assertThat(verdicts).extracting(RolloutVerdict::getWindow).doesNotHaveDuplicates();
        assertThat(verdicts).extracting(RolloutVerdict::getRolloutId).containsOnly("cart-1");
    }
}
