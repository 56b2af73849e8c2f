package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.HttpApi;
import io.rollcall.query.Json;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Live answers of every endpoint, successes and errors, checked against the OpenAPI document
 * the app serves: the (path template, method, status) is declared, the declared headers are
 * there and valid, and the body is valid against the declared schema. Three HTTP servers:
 * <ul>
 *   <li>a running app with a write token on a real broker, with two Flagger canary runs judged
 *       to their end (one rolled back, one promoted) and the rolled-back run replaced since —
 *       successes, 400, 401, 403, 404, 409 and 413;</li>
 *   <li>the HTTP API of an app that is starting (Kafka Streams not there yet), as
 *       {@link RollcallApp#start} has it before it attaches the query services: every data and
 *       write endpoint and readiness answer 503 with {@code Retry-After};</li>
 *   <li>the HTTP API attached to a Kafka Streams that has stopped: liveness answers 503.</li>
 * </ul>
 * Every declared status is driven here but 500, which only a bug answers. {@code /metrics} and
 * {@code /openapi.json} answer from this process alone and declare no 503; a method a path does
 * not take (405) is not declared per operation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {

    private static final String TOKEN = "openapi-it-token-0123456789";
    private static final String NAMESPACE = "shop";
    private static final long SERIES = 42;
    private static final String UNKNOWN_SERIES = "12345";
    private static final String LONG_SERVICE = "s".repeat(257);
    /** Over the 64 KiB a request body may have. */
    private static final String OVERSIZED = "{\"padding\": \"" + "x".repeat(70 * 1024) + "\"}";

    /** One request and the status it must answer. */
    record Case(String method, String template, int status, String what, Supplier<HttpResponse<String>> call) {
        @Override
        public String toString() {
            return method + " " + template + " " + status + ": " + what;
        }

        String key() {
            return method + " " + template + " " + status;
        }
    }

    private RollcallApp app;
    private Api api;
    private HttpApi starting;
    private HttpApi stopped;
    private KafkaStreams stoppedStreams;
    private OpenApiContract contract;
    private final String failingRun = checksum();
    private final String replacingRun = checksum();
    private final String healthyRun = checksum();

    @BeforeAll
    void startAppsAndJudgeTwoCanaryRuns() throws Exception {
        RollcallConfig config = Fixtures.rolloutConfig("openapi", TOKEN);
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        api = Api.of(app, TOKEN);
        produceOneEvent(config);
        try (CanaryTraffic failing = new CanaryTraffic(config, "failing", "failing-primary", "failing");
             CanaryTraffic healthy = new CanaryTraffic(config, "healthy", "healthy-primary", "healthy")) {
            failing.canaryErrorRate.set(0.4);
            assertThat(preRollout("failing", failingRun, TOKEN).statusCode()).isEqualTo(202);
            assertThat(preRollout("healthy", healthyRun, TOKEN).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> gate("rollback", "failing", failingRun).statusCode() == 200
                            && gate("confirm-promotion", "healthy", healthyRun).statusCode() == 200);
        }
        assertThat(preRollout("failing", replacingRun, TOKEN).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/metrics/" + SERIES).statusCode() == 200);
        contract = OpenApiContract.of(api.get("/openapi.json").body());

        starting = HttpApi.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Json.mapper(),
                TOKEN, null);
        stopped = HttpApi.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Json.mapper(),
                TOKEN, null);
        stoppedStreams = closedStreams(config);
        stopped.attach(new HttpApi.Services(stoppedStreams, null, null, null, null, () -> true, List::of));
    }

    @AfterAll
    void stop() {
        try (RollcallApp closing = app; HttpApi s = starting; HttpApi t = stopped) {
            if (stoppedStreams != null) {
                stoppedStreams.close();
            }
        }
    }

    private static void produceOneEvent(RollcallConfig config) {
        MetricEvent event = MetricEvent.newBuilder().setId(SERIES).setName("queue.depth").setTimestamp(Instant.now())
                .setType(MetricType.GAUGE).setValue(7).setStatus(0).setLabels(Map.of()).build();
        try (KafkaProducer<byte[], byte[]> producer = io.rollcall.load.LoadGenerator.producer(config.kafkaProperties())) {
            producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(SERIES).toBytes(),
                    AvroSerde.metricEvent().serialize(event)));
        }
    }

    /** A Kafka Streams that never ran and is closed: NOT_RUNNING, the state liveness fails on. */
    private static KafkaStreams closedStreams(RollcallConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(config.eventsTopic());
        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId() + "-stopped");
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.close();
        return streams;
    }

    private static String checksum() {
        return UUID.randomUUID().toString().substring(0, 10);
    }

    private static Api at(HttpApi http, String token) {
        return new Api("http://127.0.0.1:" + http.port(), token);
    }

    /** Flagger's webhook payload for a canary run of {@code name}; its metadata is the rollout spec as strings. */
    private static String payload(String name, String checksum, String token, String slos) {
        Map<String, String> metadata = new TreeMap<>(Map.of("analysisWindow", "2s", "minSamples", "40",
                "failureLimit", "1", "successWindows", "1", "slos", slos));
        if (token != null) {
            metadata.put("token", token);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", name);
        payload.put("namespace", NAMESPACE);
        payload.put("phase", FlaggerWebhooks.PROGRESSING);
        payload.put("checksum", checksum);
        payload.put("metadata", metadata);
        try {
            return Api.JSON.writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String payload(String name, String checksum, String token) {
        return payload(name, checksum, token, "[{\"kind\": \"ERROR_RATE\", \"threshold\": 0.05}]");
    }

    private HttpResponse<String> preRollout(String name, String checksum, String token) {
        return api.send("POST", "/api/v1/flagger/pre-rollout", payload(name, checksum, token));
    }

    private HttpResponse<String> gate(String hook, String name, String checksum) {
        return api.send("POST", "/api/v1/flagger/" + hook, payload(name, checksum, null));
    }

    private static String rolloutId(String name, String checksum) {
        return name + "." + NAMESPACE + "-" + checksum;
    }

    private static String spec(String rolloutId) {
        return """
                {"rolloutId": "%s", "baselineRevision": "v1", "canaryRevision": "v2", "analysisWindow": "1h",
                 "slos": [{"kind": "LATENCY", "quantile": 0.95, "threshold": 300}, "errors<=1%%"]}"""
                .formatted(rolloutId);
    }

    private static Case get(String template, int status, String what, Supplier<HttpResponse<String>> call) {
        return new Case("GET", template, status, what, call);
    }

    List<Case> cases() {
        Api anonymous = api.withToken(null);
        Api wrong = api.withToken("not-the-token-0123456789");
        Api notStarted = at(starting, TOKEN);
        Api dead = at(stopped, null);
        String metric = "/api/v1/metrics/{id}";
        String windows = metric + "/windows";
        String scan = "/api/v1/metrics";
        String rollout = "/api/v1/rollouts/{service}";
        String verdicts = rollout + "/verdicts";
        String preRollout = "/api/v1/flagger/pre-rollout";
        String promotion = "/api/v1/flagger/confirm-promotion";
        String rollback = "/api/v1/flagger/rollback";
        String internal = "/internal/v1/scan";
        return List.of(
                get(metric, 200, "a series", () -> api.get("/api/v1/metrics/" + SERIES)),
                get(metric, 400, "an id that is not one", () -> api.get("/api/v1/metrics/abc")),
                get(metric, 404, "an unknown series", () -> api.get("/api/v1/metrics/" + UNKNOWN_SERIES)),
                get(metric, 503, "while starting", () -> notStarted.get("/api/v1/metrics/" + SERIES)),
                get(windows, 200, "the last hour", () -> api.get("/api/v1/metrics/" + SERIES + "/windows")),
                get(windows, 400, "a time that is not one", () -> api.get("/api/v1/metrics/1/windows?from=yesterday")),
                get(windows, 404, "an unknown series", () -> api.get("/api/v1/metrics/" + UNKNOWN_SERIES + "/windows")),
                get(windows, 503, "while starting", () -> notStarted.get("/api/v1/metrics/" + SERIES + "/windows")),
                get(scan, 200, "a page with a next cursor", () -> api.get("/api/v1/metrics?limit=2")),
                get(scan, 200, "the last page", () -> api.get("/api/v1/metrics?limit=1000")),
                get(scan, 400, "a limit out of range", () -> api.get("/api/v1/metrics?limit=0")),
                get(scan, 503, "while starting", () -> notStarted.get("/api/v1/metrics")),
                get("/api/v1/instances", 200, "this instance", () -> api.get("/api/v1/instances")),
                get("/api/v1/instances", 503, "while starting", () -> notStarted.get("/api/v1/instances")),
                get("/api/v1/rollouts", 200, "every rollout", () -> api.get("/api/v1/rollouts")),
                get("/api/v1/rollouts", 400, "a flag that is not one", () -> api.get("/api/v1/rollouts?fresh=maybe")),
                get("/api/v1/rollouts", 503, "while starting", () -> notStarted.get("/api/v1/rollouts")),
                get(rollout, 200, "a running rollout", () -> api.get("/api/v1/rollouts/failing")),
                get(rollout, 200, "a promoted rollout", () -> api.get("/api/v1/rollouts/healthy")),
                get(rollout, 200, "a replaced rollout by its id", () -> api.get("/api/v1/rollouts/failing?rolloutId="
                        + rolloutId("failing", failingRun))),
                get(rollout, 400, "a service name too long", () -> api.get("/api/v1/rollouts/" + LONG_SERVICE)),
                get(rollout, 404, "a service without a rollout", () -> api.get("/api/v1/rollouts/nobody")),
                get(rollout, 503, "while starting", () -> notStarted.get("/api/v1/rollouts/failing")),
                get(verdicts, 200, "a rolled-back run's verdicts", () -> api.get("/api/v1/rollouts/failing/verdicts")),
                get(verdicts, 400, "a limit out of range", () -> api.get("/api/v1/rollouts/failing/verdicts?limit=0")),
                get(verdicts, 404, "a service without a rollout", () -> api.get("/api/v1/rollouts/nobody/verdicts")),
                get(verdicts, 503, "while starting", () -> notStarted.get("/api/v1/rollouts/failing/verdicts")),
                new Case("PUT", rollout, 202, "a new rollout", () -> api.put("/api/v1/rollouts/" + checksum(),
                        spec("r1"))),
                new Case("PUT", rollout, 200, "the current rollout again", () -> {
                    String service = checksum();
                    api.put("/api/v1/rollouts/" + service, spec("r1"));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> api.get("/api/v1/rollouts/" + service).statusCode() == 200);
                    return api.put("/api/v1/rollouts/" + service, spec("r1"));
                }),
                new Case("PUT", rollout, 400, "a spec with a bad field", () -> api.put("/api/v1/rollouts/checkout",
                        spec("r1").replace("0.95", "95"))),
                new Case("PUT", rollout, 400, "a body that is not JSON", () -> api.put("/api/v1/rollouts/checkout", "{")),
                new Case("PUT", rollout, 401, "without a token", () -> anonymous.put("/api/v1/rollouts/checkout",
                        spec("r1"))),
                new Case("PUT", rollout, 403, "with a wrong token", () -> wrong.put("/api/v1/rollouts/checkout",
                        spec("r1"))),
                new Case("PUT", rollout, 413, "a body over 64 KiB", () -> api.put("/api/v1/rollouts/checkout", OVERSIZED)),
                new Case("PUT", rollout, 503, "while starting", () -> notStarted.put("/api/v1/rollouts/checkout",
                        spec("r1"))),
                new Case("DELETE", rollout, 202, "a rollout", () -> api.delete("/api/v1/rollouts/" + checksum())),
                new Case("DELETE", rollout, 400, "a service name too long", () -> api.delete("/api/v1/rollouts/"
                        + LONG_SERVICE)),
                new Case("DELETE", rollout, 401, "without a token", () -> anonymous.delete("/api/v1/rollouts/checkout")),
                new Case("DELETE", rollout, 403, "with a wrong token", () -> wrong.delete("/api/v1/rollouts/checkout")),
                new Case("DELETE", rollout, 503, "while starting", () -> notStarted.delete("/api/v1/rollouts/checkout")),
                new Case("POST", preRollout, 202, "a new canary run", () -> preRollout(checksum(), checksum(), TOKEN)),
                new Case("POST", preRollout, 200, "the current run again", () -> preRollout("failing", replacingRun,
                        TOKEN)),
                new Case("POST", preRollout, 400, "a bad SLO in the metadata", () -> api.send("POST", preRollout,
                        payload("checkout", checksum(), TOKEN, "[{\"kind\": \"LATENCY\", \"quantile\": 95}]"))),
                new Case("POST", preRollout, 400, "a payload without a name", () -> api.send("POST", preRollout,
                        "{\"checksum\": \"abc\"}")),
                new Case("POST", preRollout, 401, "without metadata.token", () -> preRollout("checkout", checksum(),
                        null)),
                new Case("POST", preRollout, 403, "with a wrong metadata.token", () -> preRollout("checkout", checksum(),
                        "not-the-token-0123456789")),
                new Case("POST", preRollout, 409, "a run that ended and was replaced", () -> preRollout("failing",
                        failingRun, TOKEN)),
                new Case("POST", preRollout, 413, "a body over 64 KiB", () -> api.send("POST", preRollout, OVERSIZED)),
                new Case("POST", preRollout, 503, "while starting", () -> notStarted.send("POST", preRollout,
                        payload("checkout", checksum(), TOKEN))),
                new Case("POST", promotion, 200, "a promoted run", () -> gate("confirm-promotion", "healthy", healthyRun)),
                new Case("POST", promotion, 409, "a rolled-back run", () -> gate("confirm-promotion", "failing",
                        failingRun)),
                new Case("POST", promotion, 400, "a payload that is not an object", () -> api.send("POST", promotion,
                        "[]")),
                new Case("POST", promotion, 404, "an unknown run", () -> gate("confirm-promotion", "failing", checksum())),
                new Case("POST", promotion, 413, "a body over 64 KiB", () -> api.send("POST", promotion, OVERSIZED)),
                new Case("POST", promotion, 503, "while starting", () -> notStarted.send("POST", promotion,
                        payload("failing", failingRun, null))),
                new Case("POST", rollback, 200, "a rolled-back run", () -> gate("rollback", "failing", failingRun)),
                new Case("POST", rollback, 409, "a promoted run", () -> gate("rollback", "healthy", healthyRun)),
                new Case("POST", rollback, 400, "a payload that is not an object", () -> api.send("POST", rollback,
                        "[]")),
                new Case("POST", rollback, 404, "an unknown run", () -> gate("rollback", "failing", checksum())),
                new Case("POST", rollback, 413, "a body over 64 KiB", () -> api.send("POST", rollback, OVERSIZED)),
                new Case("POST", rollback, 503, "while starting", () -> notStarted.send("POST", rollback,
                        payload("failing", failingRun, null))),
                get("/health/live", 200, "while running", () -> api.get("/health/live")),
                get("/health/live", 503, "once Kafka Streams stopped", () -> dead.get("/health/live")),
                get("/health/ready", 200, "while running", () -> api.get("/health/ready")),
                get("/health/ready", 503, "while starting", () -> notStarted.get("/health/ready")),
                get("/metrics", 200, "the exposition", () -> api.get("/metrics")),
                get("/openapi.json", 200, "this document", () -> api.get("/openapi.json")),
                get(internal, 200, "a partition's part", () -> api.get(internal + "?partitions=0,1,2&limit=5")),
                get(internal, 400, "without partitions", () -> api.get(internal)),
                get(internal, 503, "while starting", () -> notStarted.get(internal + "?partitions=0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyAnswerIsDeclaredWithItsHeadersAndAValidBody(Case example) {
        HttpResponse<String> answer = example.call().get();

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(example.status());
        assertThat(contract.violations(example.method(), example.template(), answer)).as(answer.body()).isEmpty();
    }

    @Test
    void everyStatusTheDocumentDeclaresIsDrivenHereButTheInternalError() {
        Set<String> driven = cases().stream().map(Case::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = contract.declared().stream().filter(key -> !key.endsWith(" 500"))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(driven).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void theServedDocumentIsTheOneInTheJar() throws IOException {
        try (InputStream resource = HttpApi.class.getResourceAsStream("openapi.json")) {
            assertThat(resource).isNotNull();
            assertThat(api.get("/openapi.json").body()).isEqualTo(new String(resource.readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }
}
