package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.avro.RolloutVerdict;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * rollcall's own metrics on {@code /metrics} of two instances on a real broker, after a known
 * workload: valid events, bad records of two dead-letter reasons, a rollout held for lack of
 * traffic and then rolled back, and reads of every series through one instance (half of them
 * forwarded to the other). Each method checks one figure against what was done; the run
 * happens once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {

    private static final String TOKEN = "metrics-it-token-0123456789";
    private static final String SERVICE = "metricsit";
    private static final int SERIES = 40;
    private static final int EVENTS = 2_000;
    private static final int BAD_KEYS = 3;
    private static final int NULL_VALUES = 2;
    private static final int CANARY_REQUESTS = 200;
    private static final int MISSING_READS = 10;
    private static final AvroSerde<MetricEvent> SERDE = AvroSerde.metricEvent();

    /** Every metric of the contract whose series exist before anything happens (closed or no labels). */
    private static final List<String> AT_START = List.of(
            "rollcall_events_aggregated_total", "rollcall_events_dead_lettered_total", "rollcall_events_late_total",
            "rollcall_rollout_judge_delay_seconds_bucket", "rollcall_reads_forwarded_total",
            "rollcall_reads_stale_total", "rollcall_reads_stale_lag_records_bucket",
            "rollcall_store_estimated_keys", "rollcall_restore_remaining_records", "rollcall_restore_records_total",
            "rollcall_restore_seconds_total",
            "rollcall_ready", "rollcall_rebalances_total", "rollcall_consumer_lag_records");

    private RollcallConfig config;
    private RollcallApp a;
    private RollcallApp b;
    private PrometheusText atStart;
    private PrometheusText scrapedA;
    private PrometheusText scrapedB;
    private List<RolloutVerdict> verdicts;
    private long validEvents;
    private List<Long> series;
    private int okReadsOnA;
    private int readsServedByB;
    private int missingOwnedByB;

    @BeforeAll
    void runAKnownWorkload() throws Exception {
        config = Fixtures.rolloutConfig("metrics", TOKEN);
        a = RollcallApp.start(config);
        atStart = PrometheusText.scrape(api(a));
        b = RollcallApp.start(config.with(Map.of("rollcall.state.dir",
                Files.createTempDirectory("rollcall-it-metrics-b").toString())));
        await().atMost(Duration.ofMinutes(1)).until(() -> ready(a) && ready(b) && clusterSize() == 2);

        // No traffic yet: the first windows are held for lack of it.
        assertThat(api(a).put("/api/v1/rollouts/" + SERVICE, """
                {"rolloutId": "metricsit-1", "baselineRevision": "v1", "canaryRevision": "v2",
                 "analysisWindow": "2s", "minSamples": 40, "failureLimit": 1, "successWindows": 50,
                 "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}""").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.verdicts(config).stream()
                .anyMatch(v -> v.getDecision() == Decision.HOLD));

        GroundTruth truth = GroundTruth.produce(config, EVENTS, SERIES, 5);
        validEvents = truth.events();
        series = List.copyOf(truth.byId().keySet());
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            byte[] good = SERDE.serialize(request(1, "v1", false));
            for (int i = 0; i < BAD_KEYS; i++) {
                producer.send(new ProducerRecord<>(config.eventsTopic(), new byte[5], good));
            }
            for (int i = 0; i < NULL_VALUES; i++) {
                producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(1).toBytes(), null));
            }
            // A canary failing half its requests: rolled back.
            for (int i = 0; i < CANARY_REQUESTS; i++) {
                MetricEvent event = request(i % 3, i % 2 == 0 ? "v1" : "v2", i % 2 == 1 && i % 4 == 1);
                producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(event.getId()).toBytes(),
                        SERDE.serialize(event)));
            }
        }
        validEvents += CANARY_REQUESTS;
        await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.verdicts(config).stream()
                .anyMatch(Fixtures::isTerminal));
        Fixtures.awaitCommitted(config, validEvents + BAD_KEYS + NULL_VALUES, Duration.ofMinutes(1));
        verdicts = Fixtures.verdicts(config);

        readEverySeriesThroughA();
        scrapedA = PrometheusText.scrape(api(a));
        scrapedB = PrometheusText.scrape(api(b));
    }

    /** A TIMER request of the rollout's service from pod {@code pod} of {@code revision}, now. */
    private static MetricEvent request(int pod, String revision, boolean error) {
        long id = (SERVICE + revision + pod).hashCode() * 2654435761L;
        return MetricEvent.newBuilder().setId(id).setName("http.server.requests").setTimestamp(Instant.now())
                .setType(MetricType.TIMER).setValue(50).setStatus(error ? 503 : 200)
                .setLabels(Map.of("service", SERVICE, "revision", revision, "pod", "p" + pod)).build();
    }

    private void readEverySeriesThroughA() {
        String instanceB = b.instance();
        for (long id : series) {
            HttpResponse<String> response = api(a).get("/api/v1/metrics/" + SeriesId.of(id));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            okReadsOnA++;
            if (Api.parse(response.body()).get("servedBy").asText().equals(instanceB)) {
                readsServedByB++;
            }
        }
        for (int i = 0; i < MISSING_READS; i++) {
            HttpResponse<String> response = api(a).get("/api/v1/metrics/" + (1_000_000_000L + i));
            assertThat(response.statusCode()).isEqualTo(404);
            if (response.body().contains(instanceB)) {
                missingOwnedByB++;
            }
        }
    }

    @AfterAll
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static Api api(RollcallApp app) {
        return Api.of(app, TOKEN);
    }

    private static boolean ready(RollcallApp app) {
        return api(app).get("/health/ready").statusCode() == 200;
    }

    private int clusterSize() {
        HttpResponse<String> response = api(a).get("/api/v1/instances");
        return response.statusCode() == 200 ? Api.parse(response.body()).get("instances").size() : -1;
    }

    /** A figure summed over both instances; series labelled by service exist only where the service is judged. */
    private double both(String name, String... labels) {
        List<PrometheusText.Sample> found = new java.util.ArrayList<>(scrapedA.find(name, labels));
        found.addAll(scrapedB.find(name, labels));
        assertThat(found).as("samples of %s %s on either instance", name, List.of(labels)).isNotEmpty();
        return found.stream().mapToDouble(PrometheusText.Sample::value).sum();
    }

    private long verdictsOf(Decision decision) {
        return verdicts.stream().filter(v -> v.getDecision() == decision).count();
    }

    @Test
    void everyContractMetricIsOnTheMetricsPageRightAfterStart() {
        assertThat(atStart.names()).containsAll(AT_START);
        assertThat(atStart.find("rollcall_events_dead_lettered_total")).hasSize(8).allMatch(s -> s.value() == 0);
        assertThat(atStart.find("rollcall_reads_forwarded_total")).hasSize(4);
    }

    @Test
    void theJitCompilersTimeIsExportedToTellAWarmInstance() {
        assertThat(scrapedA.find("jvm_compilation_time_ms_total")).singleElement()
                .satisfies(sample -> assertThat(sample.value()).isPositive());
    }

    @Test
    void everyValidEventIsCountedAsAggregatedOnce() {
        assertThat(both("rollcall_events_aggregated_total")).isEqualTo(validEvents);
    }

    @Test
    void badRecordsAreCountedUnderTheirReasons() {
        assertThat(both("rollcall_events_dead_lettered_total", "reason", "bad_key")).isEqualTo(BAD_KEYS);
        assertThat(both("rollcall_events_dead_lettered_total", "reason", "null_value")).isEqualTo(NULL_VALUES);
        assertThat(both("rollcall_events_dead_lettered_total")).isEqualTo(BAD_KEYS + NULL_VALUES);
    }

    @Test
    void theVerdictCountersEqualTheVerdictsOnTheTopic() {
        for (Decision decision : Decision.values()) {
            assertThat(both("rollcall_rollout_verdicts_total", "service", SERVICE, "decision",
                    decision.name().toLowerCase(Locale.ROOT))).as("%s verdicts", decision)
                    .isEqualTo(verdictsOf(decision));
        }
        assertThat(verdictsOf(Decision.ROLLBACK)).isEqualTo(1);
    }

    @Test
    void everyHeldWindowIsCountedWithWhyAndTheFirstHadNoTraffic() {
        assertThat(both("rollcall_rollout_windows_held_total", "service", SERVICE)).isEqualTo(verdictsOf(Decision.HOLD));
        assertThat(both("rollcall_rollout_windows_held_total", "service", SERVICE, "reason", "no_traffic"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void theDecisionGaugeShowsTheLastVerdictOnTheOneInstanceJudgingTheRollout() {
        List<PrometheusText.Sample> shown = new java.util.ArrayList<>(
                scrapedA.find("rollcall_rollout_decision", "service", SERVICE));
        shown.addAll(scrapedB.find("rollcall_rollout_decision", "service", SERVICE));
        String last = verdicts.get(verdicts.size() - 1).getDecision().name().toLowerCase(Locale.ROOT);
        assertThat(shown).hasSize(Decision.values().length).allMatch(s -> s.labels().get("rollout").equals("metricsit-1"));
        assertThat(shown).filteredOn(s -> s.value() == 1).extracting(s -> s.labels().get("decision"))
                .containsExactly(last);
    }

    @Test
    void theJudgeDelayHistogramHasOneObservationPerClosedWindowsVerdict() {
        long closedWindows = verdicts.stream().filter(v -> !v.getEarly()).count();
        assertThat(both("rollcall_rollout_judge_delay_seconds_count")).isEqualTo(closedWindows);
        assertThat(both("rollcall_rollout_judge_delay_seconds_bucket", "le", "+Inf")).isEqualTo(closedWindows);
    }

    @Test
    void readsForwardedToTheOtherInstanceAreCountedByOutcome() {
        assertThat(readsServedByB).as("the series are spread over both instances").isPositive();
        assertThat(scrapedA.value("rollcall_reads_forwarded_total", "outcome", "ok")).isEqualTo(readsServedByB);
        assertThat(scrapedA.value("rollcall_reads_forwarded_total", "outcome", "not_found")).isEqualTo(missingOwnedByB);
        assertThat(scrapedA.value("rollcall_reads_forwarded_total", "outcome", "unavailable")).isZero();
    }

    @Test
    void noReadWasAnsweredFromAStandby() {
        assertThat(both("rollcall_reads_stale_total")).isZero();
        assertThat(both("rollcall_reads_stale_lag_records_count")).isZero();
    }

    @Test
    void httpRequestsHaveHistogramBucketsPerRoute() {
        List<PrometheusText.Sample> all = scrapedA.find("http_server_requests_seconds_bucket",
                "uri", "/api/v1/metrics/{id}", "status", "200", "outcome", "SUCCESS", "method", "GET");
        assertThat(all.size()).as("buckets").isGreaterThan(5);
        assertThat(scrapedA.value("http_server_requests_seconds_bucket", "uri", "/api/v1/metrics/{id}",
                "status", "200", "le", "+Inf")).isEqualTo(okReadsOnA);
    }

    @Test
    void theAggregatesStoresHoldEverySeries() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                PrometheusText.scrape(api(a)).value("rollcall_store_estimated_keys", "store", "aggregates-all-time")
                        + PrometheusText.scrape(api(b)).value("rollcall_store_estimated_keys", "store",
                        "aggregates-all-time")).isGreaterThanOrEqualTo(series.size()));
    }

    @Test
    void nothingIsLeftToRestoreOnARunningInstance() {
        assertThat(scrapedA.find("rollcall_restore_remaining_records")).isNotEmpty().allMatch(s -> s.value() == 0);
        assertThat(scrapedB.find("rollcall_restore_remaining_records")).isNotEmpty().allMatch(s -> s.value() == 0);
        assertThat(scrapedA.find("rollcall_restore_records_total")).isNotEmpty().allMatch(s -> s.value() >= 0);
    }

    @Test
    void bothInstancesAreReady() {
        assertThat(scrapedA.value("rollcall_ready")).isEqualTo(1);
        assertThat(scrapedB.value("rollcall_ready")).isEqualTo(1);
    }

    @Test
    void everyInstanceCountsItsRebalances() {
        assertThat(atStart.value("rollcall_rebalances_total")).isLessThanOrEqualTo(1);
        assertThat(scrapedA.value("rollcall_rebalances_total")).isGreaterThanOrEqualTo(1);
        assertThat(scrapedB.value("rollcall_rebalances_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theConsumerLagIsZeroOnceEverythingIsProcessed() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                PrometheusText.scrape(api(a)).value("rollcall_consumer_lag_records")
                        + PrometheusText.scrape(api(b)).value("rollcall_consumer_lag_records")).isZero());
    }
}
