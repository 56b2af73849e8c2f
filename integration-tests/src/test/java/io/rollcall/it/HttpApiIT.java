package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP API of one instance on a real broker: answers, errors, health and metrics. */
class HttpApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long TOP_ID = -1L; // 18446744073709551615
    private static final Instant MINUTE = Instant.parse("2026-11-26T10:00:00Z");

    private static RollcallApp app;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("http-api");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 2),
                compacted(config.aggregatesTopic(), 2), topic(config.deadLetterTopic(), 2)));
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        base = "http://127.0.0.1:" + app.httpPort();
        AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();
        try (KafkaProducer<byte[], byte[]> producer = io.rollcall.load.LoadGenerator.producer(config.kafkaProperties())) {
            double[] latencies = {10, 20, 30, 40, 1000};
            for (int i = 0; i < latencies.length; i++) {
                MetricEvent event = MetricEvent.newBuilder().setId(TOP_ID).setName("http.server.requests")
                        .setTimestamp(MINUTE.plusSeconds(30L * i)).setType(MetricType.TIMER).setValue(latencies[i])
                        .setStatus(i == 4 ? 503 : 200).setLabels(Map.of("service", "checkout")).build();
                producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(TOP_ID).toBytes(),
                        serde.serialize(event)));
            }
        }
        Fixtures.awaitCommitted(config, 5, Duration.ofMinutes(1));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersTheAggregateOfAnIdAbove2To63WithQuantilesMeanAndErrorRate() throws Exception {
        HttpResponse<String> response = get("/api/v1/metrics/18446744073709551615");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("id").asText()).isEqualTo("18446744073709551615");
        assertThat(body.get("count").asLong()).isEqualTo(5);
        assertThat(body.get("mean").asDouble()).isEqualTo(220.0);
        assertThat(body.get("errorRate").asDouble()).isEqualTo(0.2);
        assertThat(body.get("quantiles").get("p50").asDouble()).isCloseTo(30.0, org.assertj.core.data.Offset.offset(0.3));
        // Rank floor(q * (n - 1)): with 5 values p99 is the 4th smallest.
        assertThat(body.get("quantiles").get("p99").asDouble()).isCloseTo(40.0, org.assertj.core.data.Offset.offset(0.4));
        assertThat(body.get("max").asDouble()).isEqualTo(1000.0);
        assertThat(body.get("servedBy").asText()).isEqualTo(app.instance());
        assertThat(body.get("stale").asBoolean()).isFalse();
    }

    @Test
    void answersWindowsInARangeGivenAsIsoOrEpochMillis() throws Exception {
        String from = Long.toString(MINUTE.toEpochMilli());
        HttpResponse<String> response = get("/api/v1/metrics/18446744073709551615/windows?from=" + from
                + "&to=2026-11-26T10:02:00Z");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode windows = JSON.readTree(response.body()).get("windows");
        assertThat(windows).hasSize(3);
        assertThat(windows.get(0).get("windowStart").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(windows.get(0).get("count").asLong()).isEqualTo(2);
        assertThat(windows.get(2).get("errorCount").asLong()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/v1/metrics/abc, 400",
        "/api/v1/metrics/-1, 400",
        "/api/v1/metrics/18446744073709551616, 400",
        "/api/v1/metrics/12345, 404",
        "/api/v1/metrics/12345/windows, 404",
        "/api/v1/metrics/1/windows?from=yesterday, 400",
        "/api/v1/metrics/1/windows?from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z, 400",
        "/api/v1/metrics?limit=0, 400",
        "/api/v1/metrics?limit=1001, 400",
        "/api/v1/metrics?limit=ten, 400",
        "/api/v1/metrics?cursor=not-a-cursor, 400",
        "/api/v1/metrics?from=5&to=4, 400",
        "/api/v1/metrics/1?fresh=maybe, 400",
        "/api/v1/nothing-here, 404",
    })
    void answersBadRequestsWithAJsonErrorAndNoStackTrace(String path, int status) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank().doesNotContain("Exception", "\tat ");
    }

    @Test
    void aScanAnswersEveryIdAndItsLastPageHasNoCursor() throws Exception {
        JsonNode body = JSON.readTree(get("/api/v1/metrics?limit=10").body());
        assertThat(body.get("items")).hasSize(1);
        assertThat(body.get("items").get(0).get("id").asText()).isEqualTo("18446744073709551615");
        assertThat(body.has("nextCursor")).isFalse();
    }

    @Test
    void aScanOfARangeWithoutIdsIsEmpty() throws Exception {
        JsonNode empty = JSON.readTree(get("/api/v1/metrics?from=0&to=100").body());
        assertThat(empty.get("items")).isEmpty();
    }

    @Test
    void healthIsLiveAndReadyWhileRunning() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void exposesKafkaStreamsHttpAndJvmMetricsInPrometheusFormat() throws Exception {
        get("/api/v1/metrics/18446744073709551615");
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("kafka_stream_thread_process_total")
                .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/v1/metrics/{id}\"}")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void instancesListsThisInstanceWithItsPartitions() throws Exception {
        JsonNode body = JSON.readTree(get("/api/v1/instances").body());
        assertThat(body.get("instances")).hasSize(1);
        assertThat(body.get("instances").get(0).get("instance").asText()).isEqualTo(app.instance());
        assertThat(body.get("instances").get(0).get("activePartitions")).hasSize(2);
    }
}
