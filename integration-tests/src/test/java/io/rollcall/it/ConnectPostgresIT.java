package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.junit.jupiter.api.Test;

/**
 * Events in, rows out: rollcall aggregates on a real broker, a real Kafka Connect worker runs
 * Debezium's JDBC sink with rollcall's converters and the connector configurations of
 * {@code connectors/config}, and a real PostgreSQL receives the rows. Each aggregate row must
 * equal what the HTTP API answers for the same id; the verdict history table must hold the
 * verdicts the API lists; a record the converter cannot read lands in the connector's
 * dead-letter topic while the connector keeps running.
 */
class ConnectPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "it-token-0123456789abcdef";
    private static final Path CONFIGS = Path.of("..", "connectors", "config").toAbsolutePath().normalize();
    private static final Path PLUGINS = Path.of("target", "connect-plugins").toAbsolutePath();

    @Test
    void aggregatesAndVerdictsReachPostgresAsTheHttpApiServesThem() throws Exception {
        RollcallConfig config = Fixtures.rolloutConfig("connect", TOKEN);
        String password = "pg-" + Long.toHexString(new Random().nextLong());
        Path secrets = Files.createTempFile("postgres", ".properties",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        try (Postgres postgres = Postgres.start(password);
             RollcallApp app = RollcallApp.start(config)) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Files.writeString(secrets, "url=" + postgres.jdbcUrl() + "\nusername=" + Postgres.USER
                    + "\npassword=" + password + "\n");

            // Plain series, ids at both ends of the unsigned range among them.
            List<Long> ids = new ArrayList<>(List.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, -1L));
            Random random = new Random(11);
            while (ids.size() < 200) {
                ids.add(random.nextLong());
            }
            AvroSerde<MetricEvent> events = AvroSerde.metricEvent();
            try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
                for (int round = 0; round < 5; round++) {
                    for (long id : ids) {
                        MetricEvent event = MetricEvent.newBuilder().setId(id).setName("db.query")
                                .setTimestamp(Instant.now()).setType(MetricType.TIMER)
                                .setValue(1 + random.nextDouble() * 100).setStatus(random.nextInt(10) == 0 ? 500 : 200)
                                .setLabels(Map.of("service", "orders")).build();
                        producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(id).toBytes(),
                                events.serialize(event)));
                    }
                }
                producer.flush();
            }

            // A rollout judged to ROLLBACK, so that verdicts flow.
            try (CanaryTraffic traffic = new CanaryTraffic(config, "search")) {
                assertThat(send(app, "PUT", "/api/v1/rollouts/search", """
                        {"rolloutId": "search-1", "baselineRevision": "v1", "canaryRevision": "v2",
                         "analysisWindow": "2s", "minSamples": 40, "failureLimit": 1, "successWindows": 50,
                         "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}""").statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> decision(app).equals("CONTINUE"));
                traffic.canaryErrorRate.set(0.4);
                await().atMost(Duration.ofSeconds(30)).until(() -> decision(app).equals("ROLLBACK"));
            }

            Connect<?> worker = startWorker(config);
            try {
                createConnector(worker, "rollcall-aggregates", "metric-aggregates-postgres.json", config.aggregatesTopic(),
                        config.aggregatesTopic() + "-connect-dlq", secrets);
                createConnector(worker, "rollcall-verdicts", "rollout-verdicts-postgres.json",
                        config.rollouts().verdictsTopic(), config.rollouts().verdictsTopic() + "-connect-dlq", secrets);

                // The traffic has stopped: once the sink has caught up, every row is final.
                Map<String, JsonNode> expected = new HashMap<>();
                for (long id : ids) {
                    expected.put(SeriesId.of(id).toString(), metric(app, SeriesId.of(id).toString()));
                }
                try (Connection db = postgres.connect()) {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                            assertThat(rows(db, "SELECT count(*) FROM metric_aggregates WHERE name = 'db.query'"))
                                    .isEqualTo(ids.size()));
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        try (Statement statement = db.createStatement();
                             ResultSet rows = statement.executeQuery("SELECT id, count, sum, min, max, error_count, p99, "
                                     + "last_event_time FROM metric_aggregates WHERE name = 'db.query'")) {
                            int checked = 0;
                            while (rows.next()) {
                                BigDecimal id = rows.getBigDecimal("id");
                                JsonNode http = expected.get(id.toPlainString());
                                assertThat(http).as("row for id %s", id).isNotNull();
                                assertThat(rows.getLong("count")).isEqualTo(http.get("count").asLong());
                                assertThat(rows.getDouble("sum")).isEqualTo(http.get("sum").asDouble());
                                assertThat(rows.getDouble("min")).isEqualTo(http.get("min").asDouble());
                                assertThat(rows.getDouble("max")).isEqualTo(http.get("max").asDouble());
                                assertThat(rows.getLong("error_count")).isEqualTo(http.get("errorCount").asLong());
                                assertThat(rows.getDouble("p99")).isEqualTo(http.get("quantiles").get("p99").asDouble());
                                assertThat(rows.getTimestamp("last_event_time").toInstant())
                                        .isEqualTo(Instant.parse(http.get("lastEventTime").asText()));
                                checked++;
                            }
                            assertThat(checked).isEqualTo(ids.size());
                        }
                    });
                    // Ids >= 2^63 are exact, unsigned numbers in the database.
                    assertThat(rows(db, "SELECT count(*) FROM metric_aggregates WHERE id = 18446744073709551615"))
                            .isEqualTo(1);

                    // The verdict history: the same decisions, in order, as the API lists.
                    List<String> apiDecisions = new ArrayList<>();
                    JSON.readTree(send(app, "GET", "/api/v1/rollouts/search/verdicts", null).body()).get("verdicts")
                            .forEach(v -> apiDecisions.add(v.get("decision").asText()));
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                            strings(db, "SELECT decision FROM rollout_verdicts WHERE service = 'search' "
                                    + "ORDER BY __connect_partition, __connect_offset")).isEqualTo(apiDecisions));
                    assertThat(apiDecisions).last().isEqualTo("ROLLBACK");

                    // A record the converter cannot read goes to the connector's dead-letter topic;
                    // the sink keeps running and keeps writing.
                    try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
                        producer.send(new ProducerRecord<>(config.aggregatesTopic(), SeriesId.of(42).toBytes(),
                                "not avro".getBytes(StandardCharsets.UTF_8))).get();
                    }
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        List<ConsumerRecord<byte[], byte[]>> dead = Fixtures.readAll(config,
                                config.aggregatesTopic() + "-connect-dlq");
                        assertThat(dead).hasSize(1);
                        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
                        assertThat(new String(dead.get(0).headers().lastHeader("__connect.errors.exception.message")
                                .value(), StandardCharsets.UTF_8)).contains("not a rollcall record");
                    });
                    JsonNode status = JSON.readTree(get(worker, "/connectors/rollcall-aggregates/status"));
                    assertThat(status.get("connector").get("state").asText()).isEqualTo("RUNNING");
                    assertThat(status.get("tasks").get(0).get("state").asText()).isEqualTo("RUNNING");
                }
                // The password never reaches the stored connector configuration.
                assertThat(get(worker, "/connectors/rollcall-aggregates/config")).doesNotContain(password)
                        .contains("${file:");
            } finally {
                worker.stop();
            }
        } finally {
            Files.deleteIfExists(secrets);
        }
    }

    private static Connect<?> startWorker(RollcallConfig config) {
        String group = config.applicationId() + "-connect";
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", config.bootstrapServers());
        props.put("group.id", group);
        props.put("config.storage.topic", group + "-configs");
        props.put("offset.storage.topic", group + "-offsets");
        props.put("status.storage.topic", group + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("plugin.path", PLUGINS.toString());
        props.put("listeners", "http://127.0.0.1:0");
        props.put("config.providers", "file");
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        props.put("offset.flush.interval.ms", "1000");
        return new ConnectDistributed().startConnect(props);
    }

    /** The configuration file as shipped, with this test's topics, secrets file and replication factor 1. */
    private static void createConnector(Connect<?> worker, String name, String file, String topic, String deadLetters,
                                        Path secrets) throws Exception {
        ObjectNode connector = (ObjectNode) JSON.readTree(Files.readString(CONFIGS.resolve(file))
                .replace("/etc/rollcall-connect/postgres.properties", secrets.toString()));
        connector.put("topics", topic);
        connector.put("errors.deadletterqueue.topic.name", deadLetters);
        connector.put("errors.deadletterqueue.topic.replication.factor", "1");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        worker.rest().serverUrl().resolve("/connectors/" + name + "/config"))
                .PUT(HttpRequest.BodyPublishers.ofString(connector.toString()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(get(worker, "/connectors/" + name + "/status"));
            assertThat(status.path("tasks").path(0).path("state").asText()).as(status.toString()).isEqualTo("RUNNING");
        });
    }

    private static String get(Connect<?> worker, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(worker.rest().serverUrl().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> send(RollcallApp app, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String decision(RollcallApp app) throws Exception {
        return JSON.readTree(send(app, "GET", "/api/v1/rollouts/search", null).body()).path("decision").asText();
    }

    private static JsonNode metric(RollcallApp app, String id) throws Exception {
        HttpResponse<String> response = send(app, "GET", "/api/v1/metrics/" + id, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static long rows(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the sink has not created the table yet
            }
            throw e;
        }
    }

    private static List<String> strings(Connection db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                out.add(result.getString(1));
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw e;
            }
        }
        return out;
    }
}
