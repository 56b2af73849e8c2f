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
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * Events in, rows out: rollcall aggregates plain series (ids at both ends of the unsigned range
 * among them) and judges a canary to ROLLBACK on a real broker, then a real distributed Kafka
 * Connect worker runs Debezium's JDBC sink with a connector configuration of
 * {@code connectors/config} into a real PostgreSQL ({@link Postgres}). The checks compare the
 * tables with what rollcall's HTTP API answers, whichever converter the configuration names.
 */
final class ConnectPipeline implements AutoCloseable {

    static final String AGGREGATES = "rollcall-aggregates";
    static final String VERDICTS = "rollcall-verdicts";

    /** Debezium's JDBC sink, unpacked by the build. */
    static final Path DEBEZIUM_PLUGINS = Path.of("target", "connect-plugins").toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "it-token-0123456789abcdef";
    private static final Path CONFIGS = Path.of("..", "connectors", "config").toAbsolutePath().normalize();

    final RollcallConfig config;
    final String password = "pg-" + Long.toHexString(new Random().nextLong());
    private final List<Long> ids = new ArrayList<>(List.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, -1L));
    private final Map<String, JsonNode> served = new HashMap<>();
    private final Path secrets;
    private Postgres postgres;
    private RollcallApp app;
    private Api api;
    private Connect<?> worker;

    private ConnectPipeline(RollcallConfig config) throws Exception {
        this.config = config;
        this.secrets = Files.createTempFile("postgres", ".properties",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** The rollout configuration of {@code test} with {@code settings} on top, e.g. a schema registry. */
    static RollcallConfig config(String test, Map<String, String> settings) {
        return Fixtures.rolloutConfig(test, TOKEN).with(settings);
    }

    /**
     * Runs rollcall with {@code config} until its traffic has stopped, and a worker that loads
     * plugins from {@code plugins}; the sinks come next ({@link #sink}). On failure, whatever
     * started is stopped.
     */
    static ConnectPipeline start(RollcallConfig config, List<Path> plugins) throws Exception {
        ConnectPipeline pipeline = new ConnectPipeline(config);
        try {
            pipeline.run(plugins);
        } catch (Exception | AssertionError e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    private void run(List<Path> plugins) throws Exception {
        postgres = Postgres.start(password);
        Files.writeString(secrets, "url=" + postgres.jdbcUrl() + "\nusername=" + Postgres.USER
                + "\npassword=" + password + "\n");
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        api = Api.of(app, TOKEN);
        produceSeries();
        rollBackACanary();
        worker = startWorker(plugins);
        // The traffic has stopped: once the sinks have caught up, every row is final.
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

    private Connect<?> startWorker(List<Path> plugins) {
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
        props.put("plugin.path", plugins.stream().map(Path::toString).collect(Collectors.joining(",")));
        props.put("listeners", "http://127.0.0.1:0");
        props.put("config.providers", "file");
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        props.put("offset.flush.interval.ms", "1000");
        return new ConnectDistributed().startConnect(props);
    }

    /**
     * Creates connector {@code name} from the configuration file as shipped, with this run's topic,
     * dead-letter topic, secrets file and replication factor 1, and {@code settings} on top; waits
     * until its task runs.
     */
    void sink(String name, String file, String topic, Map<String, String> settings) throws Exception {
        ObjectNode connector = (ObjectNode) JSON.readTree(Files.readString(CONFIGS.resolve(file))
                .replace("/etc/rollcall-connect/postgres.properties", secrets.toString()));
        connector.put("topics", topic);
        connector.put("errors.deadletterqueue.topic.name", deadLetterTopic(topic));
        connector.put("errors.deadletterqueue.topic.replication.factor", "1");
        settings.forEach(connector::put);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        worker.rest().serverUrl().resolve("/connectors/" + name + "/config"))
                .PUT(HttpRequest.BodyPublishers.ofString(connector.toString()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(get("/connectors/" + name + "/status"));
            assertThat(status.path("tasks").path(0).path("state").asText()).as(status.toString()).isEqualTo("RUNNING");
        });
    }

    static String deadLetterTopic(String topic) {
        return topic + "-connect-dlq";
    }

    /** A GET on the worker's REST API; the body. */
    String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(worker.rest().serverUrl().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Connector {@code name} and its task are RUNNING. */
    void assertRunning(String name) throws Exception {
        JsonNode status = JSON.readTree(get("/connectors/" + name + "/status"));
        assertThat(status.get("connector").get("state").asText()).isEqualTo("RUNNING");
        assertThat(status.get("tasks").get(0).get("state").asText()).isEqualTo("RUNNING");
    }

    Postgres postgres() {
        return postgres;
    }

    /** Sends {@code value} as a record of the aggregates topic. */
    void sendAggregate(byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            producer.send(new ProducerRecord<>(config.aggregatesTopic(), SeriesId.of(42).toBytes(), value)).get();
        }
    }

    /** Waits for the one record in the aggregates connector's dead-letter topic and returns it. */
    ConsumerRecord<byte[], byte[]> awaitTheDeadAggregate() {
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            dead.clear();
            dead.addAll(Fixtures.readAll(config, deadLetterTopic(config.aggregatesTopic())));
            assertThat(dead).hasSize(1);
        });
        return dead.get(0);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Every series has one row in {@code metric_aggregates}, equal to what the HTTP API serves for its id. */
    void assertEveryAggregateRowEqualsTheApi() throws Exception {
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

    /** The row of id 2^64 - 1 is there, under that exact unsigned number. */
    void assertTheLargestIdIsExact() throws Exception {
        try (Connection db = postgres.connect()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                    rows(db, "SELECT count(*) FROM metric_aggregates WHERE id = 18446744073709551615")).isEqualTo(1));
        }
    }

    /** {@code rollout_verdicts} holds the decisions the API lists for the rollout, in order. */
    void assertTheVerdictTableEqualsTheApi() throws Exception {
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

    /** The ROLLBACK row's {@code results} column is JSON text naming the failed error-rate SLO. */
    void assertTheRollbackRowHoldsItsSloResultsAsJson() throws Exception {
        try (Connection db = postgres.connect()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<String> results = strings(db, "SELECT results FROM rollout_verdicts WHERE service = 'search' "
                        + "AND decision = 'ROLLBACK'");
                assertThat(results).isNotEmpty();
                JsonNode slo = JSON.readTree(results.get(0)).get(0);
                assertThat(slo.get("kind").asText()).isEqualTo("ERROR_RATE");
                assertThat(slo.get("outcome").asText()).isEqualTo("FAIL");
            });
        }
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

    @Override
    public void close() throws Exception {
        try (Postgres db = postgres; RollcallApp rollcall = app) {
            if (worker != null) {
                worker.stop();
            }
        } finally {
            Files.deleteIfExists(secrets);
        }
    }
}
