package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.rollout.Progress;
import io.rollcall.rollout.Sampled;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.avro.RolloutVerdict;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rollouts on a real broker, through the HTTP API: writes need the token, bad specs are
 * refused naming the field, verdicts are published and served, a restart of the app
 * mid-rollout still gives exactly one terminal verdict (read with read_committed), and a
 * window waits for samples held back behind a lagging partition. Each
 * nested class shares one app (and its rollout) among its methods.
 */
class RolloutIT {

    private static final String TOKEN = "it-token-0123456789abcdef";

    private static String spec(String rolloutId, int successWindows, String slos) {
        return """
                {"rolloutId": "%s", "baselineRevision": "v1", "canaryRevision": "v2",
                 "analysisWindow": "2s", "minSamples": 40, "failureLimit": 1, "successWindows": %d,
                 "slos": %s}""".formatted(rolloutId, successWindows, slos);
    }

    private static String errorRateSpec(String rolloutId, int successWindows) {
        return spec(rolloutId, successWindows, "[{\"kind\": \"ERROR_RATE\", \"threshold\": 0.01}]");
    }

    private static RollcallApp startApp(RollcallConfig config) throws InterruptedException {
        RollcallApp app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        return app;
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Writes {

        private RollcallApp app;
        private Api api;

        @BeforeAll
        void start() throws Exception {
            app = startApp(Fixtures.rolloutConfig("rollout-http", TOKEN));
            api = Api.of(app, TOKEN);
        }

        @AfterAll
        void stop() {
            app.close();
        }

        @Test
        void aWriteWithoutTheTokenIsUnauthorizedWithABearerChallenge() {
            Api anonymous = api.withToken(null);
            HttpResponse<String> put = anonymous.put("/api/v1/rollouts/checkout", errorRateSpec("r1", 3));
            assertThat(put.statusCode()).isEqualTo(401);
            assertThat(put.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"rollcall\"");
            assertThat(anonymous.delete("/api/v1/rollouts/checkout").statusCode()).isEqualTo(401);
        }

        @Test
        void aWriteWithAWrongTokenIsForbidden() {
            assertThat(api.withToken("wrong-token").put("/api/v1/rollouts/checkout", errorRateSpec("r1", 3))
                    .statusCode()).isEqualTo(403);
        }

        @Test
        void aLatencySloWithoutAQuantileIsRefusedNamingTheField() {
            HttpResponse<String> bad = api.put("/api/v1/rollouts/checkout",
                    spec("r1", 3, "[{\"kind\": \"LATENCY\", \"threshold\": 300}]"));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(Api.parse(bad.body()).get("field").asText()).isEqualTo("slos[0].quantile");
        }

        @Test
        void aMisspelledFieldIsRefusedNamingIt() {
            HttpResponse<String> typo = api.put("/api/v1/rollouts/checkout",
                    errorRateSpec("r1", 3).replace("minSamples", "minSample"));
            assertThat(typo.statusCode()).isEqualTo(400);
            assertThat(Api.parse(typo.body()).get("field").asText()).isEqualTo("minSample");
        }

        @Test
        void aBodyThatIsNotJsonIsRefused() {
            assertThat(api.put("/api/v1/rollouts/checkout", "not json").statusCode()).isEqualTo(400);
        }

        @Test
        void anAcceptedSpecIsServedWithItsSloDescriptions() {
            assertThat(api.put("/api/v1/rollouts/checkout", errorRateSpec("r1", 3)).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode body = api.withToken(null).json("/api/v1/rollouts/checkout");
                assertThat(body.get("rolloutId").asText()).isEqualTo("r1");
                assertThat(body.get("spec").get("slos").get(0).get("description").asText()).isEqualTo("error rate <= 1 %");
            });
        }

        @Test
        void theListHoldsAnAcceptedRolloutOnce() {
            assertThat(api.put("/api/v1/rollouts/payments", errorRateSpec("payments-1", 3)).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<String> listed = new ArrayList<>();
                api.withToken(null).json("/api/v1/rollouts").get("rollouts")
                        .forEach(r -> listed.add(r.path("rolloutId").asText()));
                assertThat(listed).containsOnlyOnce("payments-1");
            });
        }

        @Test
        void aServiceWithoutARolloutIsNotFound() {
            assertThat(api.withToken(null).get("/api/v1/rollouts/nobody").statusCode()).isEqualTo(404);
        }

        @Test
        void aRolloutIsRemovedWithTheToken() {
            assertThat(api.put("/api/v1/rollouts/cart", errorRateSpec("cart-1", 3)).statusCode()).isEqualTo(202);
            assertThat(api.delete("/api/v1/rollouts/cart").statusCode()).isEqualTo(202);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class FailingCanary {

        private RollcallApp app;
        private CanaryTraffic traffic;
        private Api api;

        @BeforeAll
        void healthyThenFailing() throws Exception {
            RollcallConfig config = Fixtures.rolloutConfig("rollout-rollback", TOKEN);
            app = startApp(config);
            traffic = new CanaryTraffic(config, "search");
            api = Api.of(app, TOKEN);
            assertThat(api.put("/api/v1/rollouts/search", errorRateSpec("search-1", 50)).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> decision().equals("CONTINUE"));
            traffic.canaryErrorRate.set(0.4);
            await().atMost(Duration.ofSeconds(30)).until(() -> decision().equals("ROLLBACK"));
        }

        private String decision() {
            return Api.parse(api.get("/api/v1/rollouts/search").body()).path("decision").asText();
        }

        @AfterAll
        void stop() throws Exception {
            try (RollcallApp closing = app) {
                traffic.close();
            }
        }

        @Test
        void theStatusSaysRolledBackWithTheReason() {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode status = api.json("/api/v1/rollouts/search");
                assertThat(status.get("status").asText()).isEqualTo("ROLLED_BACK");
                assertThat(status.get("latestVerdict").get("reason").asText()).contains("canary error rate");
            });
        }

        @Test
        void theVerdictHistoryIsHealthyUntilItEndsInRollback() {
            List<String> decisions = new ArrayList<>();
            api.json("/api/v1/rollouts/search/verdicts").get("verdicts").forEach(v -> decisions.add(v.get("decision").asText()));
            assertThat(decisions).last().isEqualTo("ROLLBACK");
            assertThat(decisions.subList(0, decisions.size() - 1)).isSubsetOf("CONTINUE", "HOLD");
        }

        @Test
        void theJudgeCountsTheRollbackInItsMetrics() {
            assertThat(PrometheusText.scrape(api).value("rollcall_rollout_verdicts_total",
                    "service", "search", "decision", "rollback")).isEqualTo(1.0);
        }

        @Test
        void theMetricsPageNeverShowsTheToken() {
            assertThat(api.get("/metrics").body()).doesNotContain(TOKEN);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RestartMidRollout {

        private RollcallConfig config;
        private CanaryTraffic traffic;
        private RollcallApp second;

        @BeforeAll
        void restartWhileJudging() throws Exception {
            config = Fixtures.rolloutConfig("rollout-restart", TOKEN);
            traffic = new CanaryTraffic(config, "cart");
            try (RollcallApp first = startApp(config)) {
                assertThat(Api.of(first, TOKEN).put("/api/v1/rollouts/cart",
                        spec("cart-1", 6, "[{\"kind\": \"LATENCY\", \"quantile\": 0.95, \"threshold\": 500}]"))
                        .statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.verdicts(config).stream()
                        .filter(v -> v.getDecision() == Decision.CONTINUE).count() >= 2);
            }
            // Same application id and state directory: the judge's state comes back with it.
            second = startApp(config);
            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.verdicts(config).stream()
                    .anyMatch(v -> v.getDecision() == Decision.PROMOTE));
        }

        @AfterAll
        void stop() throws Exception {
            try (RollcallApp closing = second) {
                traffic.close();
            }
        }

        @Test
        void thereIsExactlyOneTerminalVerdictAndItIsTheLast() {
            List<RolloutVerdict> verdicts = Fixtures.verdicts(config);
            List<RolloutVerdict> terminal = verdicts.stream().filter(Fixtures::isTerminal).toList();
            assertThat(terminal).hasSize(1);
            assertThat(verdicts.get(verdicts.size() - 1)).isEqualTo(terminal.get(0));
        }

        @Test
        void nothingFollowsTheTerminalVerdictWhileWindowsKeepClosing() {
            Fixtures.awaitNothingAfterTheTerminalVerdict(config, Duration.ofSeconds(3));
        }

        @Test
        void noWindowIsJudgedTwice() {
            assertThat(Fixtures.verdicts(config)).extracting(RolloutVerdict::getWindow).doesNotHaveDuplicates();
        }

        @Test
        void everyVerdictBelongsToTheRollout() {
            assertThat(Fixtures.verdicts(config)).extracting(RolloutVerdict::getRolloutId).containsOnly("cart-1");
        }
    }

    /**
     * The events topic has 3 partitions; partition 2 works through a backlog (its events keep
     * coming, stamped 10 s in the past), and a third of window 0's samples are held back
     * behind it, reaching the app only after the window's end plus grace on the wall clock.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class LaggingPartition {

        private static final int LAGGING = 2;
        private static final int PER_PARTITION = 60;
        private static final long WINDOW_MS = 2_000;

        private final ScheduledExecutorService backlog = Executors.newSingleThreadScheduledExecutor();
        private RollcallConfig config;
        private RollcallApp app;
        private KafkaProducer<byte[], byte[]> producer;

        @BeforeAll
        void windowZeroWithAThirdOfItsSamplesHeldBack() throws Exception {
            config = Fixtures.rolloutConfig("rollout-lag", TOKEN);
            app = startApp(config);
            producer = LoadGenerator.producer(config.kafkaProperties());
            backlog.scheduleAtFixedRate(() -> request(LAGGING, "backlog", System.currentTimeMillis() - 10_000),
                    0, 20, TimeUnit.MILLISECONDS);
            Api api = Api.of(app, TOKEN);
            long start = System.currentTimeMillis() + 3_000;
            assertThat(api.put("/api/v1/rollouts/orders", """
                    {"rolloutId": "orders-1", "baselineRevision": "v1", "canaryRevision": "v2",
                     "analysisWindow": %d, "startedAt": %d, "minSamples": 40, "failureLimit": 1,
                     "successWindows": 50, "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}"""
                    .formatted(WINDOW_MS, start)).statusCode()).isEqualTo(202);
            // A sampler reports its partition's progress once it knows a rollout: from then on it takes samples.
            await().atMost(Duration.ofSeconds(30)).until(() -> progressReportedBy().containsAll(List.of(0, 1, LAGGING)));

            for (int partition = 0; partition < LAGGING; partition++) {
                windowZeroSamples(partition, start);
            }
            // Well past the window's end + grace + idle on the wall clock, it is still open.
            long wallClockClose = start + WINDOW_MS + 500 + 1_000 + 1_000;
            await().during(Duration.ofMillis(Math.max(1_000, wallClockClose - System.currentTimeMillis())))
                    .atMost(Duration.ofSeconds(20)).until(() -> Fixtures.verdicts(config).isEmpty());

            windowZeroSamples(LAGGING, start);
            producer.flush();
            backlog.shutdown(); // partition 2 has caught up, and goes quiet
            await().atMost(Duration.ofSeconds(30)).until(() -> windowZero().isPresent());
        }

        private void windowZeroSamples(int partition, long start) {
            for (int i = 0; i < PER_PARTITION; i++) {
                request(partition, "orders", start + i * (WINDOW_MS - 1) / PER_PARTITION);
            }
        }

        /** A healthy canary request of {@code service} on {@code partition}, at event time {@code time}. */
        private void request(int partition, String service, long time) {
            long id = (service + partition).hashCode() * 2654435761L;
            MetricEvent event = MetricEvent.newBuilder().setId(id).setName("http.server.requests")
                    .setTimestamp(Instant.ofEpochMilli(time)).setType(MetricType.TIMER).setValue(50).setStatus(200)
                    .setLabels(Map.of("service", service, "revision", "v2", "pod", "p" + partition))
                    .build();
            producer.send(new ProducerRecord<>(config.eventsTopic(), partition, SeriesId.of(id).toBytes(),
                    AvroSerde.metricEvent().serialize(event)));
        }

        private Set<Integer> progressReportedBy() {
            Set<Integer> partitions = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record
                    : Fixtures.readAll(config, config.applicationId() + "-rollout-samples-repartition")) {
                if (Sampled.fromBytes(record.value()) instanceof Progress progress) {
                    partitions.add(progress.partition());
                }
            }
            return partitions;
        }

        private Optional<RolloutVerdict> windowZero() {
            return Fixtures.verdicts(config).stream().filter(v -> v.getWindow() == 0).findFirst();
        }

        @AfterAll
        void stop() throws Exception {
            try (RollcallApp closing = app; KafkaProducer<byte[], byte[]> closingProducer = producer) {
                backlog.shutdownNow();
            }
        }

        @Test
        void theWindowIsJudgedOnTheSamplesOfEveryPartition() {
            RolloutVerdict verdict = windowZero().orElseThrow();
            assertThat(verdict.getResults().get(0).getCanarySamples()).isEqualTo(3L * PER_PARTITION);
            assertThat(verdict.getDecision()).isEqualTo(Decision.CONTINUE);
        }

        @Test
        void noSampleIsDroppedAsLate() {
            assertThat(PrometheusText.scrape(Api.of(app, TOKEN)).value("rollcall_rollout_samples_late_total")).isZero();
        }
    }
}
