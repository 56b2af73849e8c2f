package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Events in, rows out: rollcall aggregates on a real broker, a real Kafka Connect worker runs
 * Debezium's JDBC sink with rollcall's converters and the connector configurations of
 * {@code connectors/config}, and a real PostgreSQL receives the rows. Each aggregate row must
 * equal what the HTTP API answers for the same id; the verdict history table must hold the
 * verdicts the API lists; a record the converter cannot read lands in the connector's
 * dead-letter topic while the connector keeps running. PostgreSQL comes from Maven
 * ({@link Postgres}); one run of the whole pipeline serves every method.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "it-token-0123456789abcdef";
    private static final Path CONFIGS = Path.of("..", "connectors", "config").toAbsolutePath().normalize();
    private static final Path PLUGINS = Path.of("target", "connect-plugins").toAbsolutePath();

    private final String password = "pg-" + Long.toHexString(new Random().nextLong());
    private final List<Long> ids = new ArrayList<>(List.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, -1L));
    private final Map<String, JsonNode> served = new HashMap<>();
    private RollcallConfig config;
    private Path secrets;
    private Postgres postgres;
    private RollcallApp app;
    private Api api;
    private Connect<?> worker;

    @BeforeAll
    void aggregateJudgeAndSinkToPostgres() throws Exception {
        config = Fixtures.rolloutConfig("connect", TOKEN);
        secrets = Files.createTempFile("postgres", ".properties",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        postgres = Postgres.start(password);
        Files.writeString(secrets, "url=" + postgres.jdbcUrl() + "\nusername=" + Postgres.USER
                + "\npassword=" + password + "\n");
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        api = Api.of(app, TOKEN);
        produceSeries();
        rollBackACanary();
        worker = startWorker(config);
        createConnector(worker, "rollcall-aggregates", "metric-aggregates-postgres.json", config.aggregatesTopic(),
                config.aggregatesTopic() + "-connect-dlq", secrets);
        createConnector(worker, "rollcall-verdicts", "rollout-verdicts-postgres.json",
                config.rollouts().verdictsTopic(), config.rollouts().verdictsTopic() + "-connect-dlq", secrets);
        // The traffic has stopped: once the sink has caught up, every row is final.
        for (long id : ids) {
            served.put(SeriesId.of(id).toString(), api.json("/api/v1/metrics/" + SeriesId.of(id)));
        }
    }

    /** Plain series, ids at both ends of the unsigned range among them. */
    private void produceSeries() {
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
        }
    }

    /** A rollout judged to ROLLBACK, so that verdicts flow. */
    private void rollBackACanary() throws Exception {
        try (CanaryTraffic traffic = new CanaryTraffic(config, "search")) {
            assertThat(api.put("/api/v1/rollouts/search", """
                    {"rolloutId": "search-1", "baselineRevision": "v1", "canaryRevision": "v2",
                     "analysisWindow": "2s", "minSamples": 40, "failureLimit": 1, "successWindows": 50,
                     "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}""").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> decision().equals("CONTINUE"));
            traffic.canaryErrorRate.set(0.4);
            await().atMost(Duration.ofSeconds(30)).until(() -> decision().equals("ROLLBACK"));
        }
    }

    @AfterAll
    void stop() throws Exception {
        try (Postgres db = postgres; RollcallApp rollcall = app) {
            if (worker != null) {
                worker.stop();
            }
        } finally {
            Files.deleteIfExists(secrets);
        }
    }

    @Test
    void everySeriesGetsOneRowEqualToWhatTheHttpApiServes() throws Exception {
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
                        assertRowEqualsHttp(rows);
                        checked++;
                    }
                    assertThat(checked).isEqualTo(ids.size());
                }
            });
        }
    }

    @Test
    void idsAtOrAbove2To63AreExactUnsignedNumbersInTheDatabase() throws Exception {
        try (Connection db = postgres.connect()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                    rows(db, "SELECT count(*) FROM metric_aggregates WHERE id = 18446744073709551615")).isEqualTo(1));
        }
    }

    @Test
    void theVerdictHistoryTableHoldsTheDecisionsTheApiListsInOrder() throws Exception {
        List<String> apiDecisions = new ArrayList<>();
        api.json("/api/v1/rollouts/search/verdicts").get("verdicts")
                .forEach(v -> apiDecisions.add(v.get("decision").asText()));
        assertThat(apiDecisions).last().isEqualTo("ROLLBACK");
        try (Connection db = postgres.connect()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    strings(db, "SELECT decision FROM rollout_verdicts WHERE service = 'search' "
                            + "ORDER BY __connect_partition, __connect_offset")).isEqualTo(apiDecisions));
        }
    }

    @Test
    void aRecordTheConverterCannotReadGoesToTheConnectorsDeadLetterTopic() throws Exception {
        sendNotAvro();
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

    @Test
    void thePasswordNeverReachesTheStoredConnectorConfiguration() throws Exception {
        assertThat(get(worker, "/connectors/rollcall-aggregates/config")).doesNotContain(password).contains("${file:");
    }

    @Test
    void theDatabaseRefusesTheConnectorsRoleWithoutItsPassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), Postgres.USER, "not-" + password)
                .close()).isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    private void assertRowEqualsHttp(ResultSet rows) throws SQLException {
        BigDecimal id = rows.getBigDecimal("id");
        JsonNode http = served.get(id.toPlainString());
        assertThat(http).as("row for id %s", id).isNotNull();
        assertThat(rows.getLong("count")).isEqualTo(http.get("count").asLong());
        assertThat(rows.getDouble("sum")).isEqualTo(http.get("sum").asDouble());
        assertThat(rows.getDouble("min")).isEqualTo(http.get("min").asDouble());
        assertThat(rows.getDouble("max")).isEqualTo(http.get("max").asDouble());
        assertThat(rows.getLong("error_count")).isEqualTo(http.get("errorCount").asLong());
        assertThat(rows.getDouble("p99")).isEqualTo(http.get("quantiles").get("p99").asDouble());
        assertThat(rows.getTimestamp("last_event_time").toInstant())
                .isEqualTo(Instant.parse(http.get("lastEventTime").asText()));
    }

    private void sendNotAvro() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            producer.send(new ProducerRecord<>(config.aggregatesTopic(), SeriesId.of(42).toBytes(),
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
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

    private String decision() {
        return Api.parse(api.get("/api/v1/rollouts/search").body()).path("decision").asText();
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
