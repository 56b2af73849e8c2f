package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.aggregate.Aggregate;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.embedded.EmbeddedKafka;
import io.rollcall.query.Answer;
import io.rollcall.schema.SeriesId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * Kafka client security settings reach every client the app creates. The broker's only
 * client port here requires SASL/PLAIN: an admin client without the settings cannot even
 * list topics, while rollcall — configured only through its properties — prepares its
 * topics (admin), aggregates events (Streams' consumers and producers), serves them, writes
 * a rollout spec (its own producer), reads it back (the global consumer) and publishes
 * verdicts. The password appears neither in {@code /metrics} nor in the config's text.
 */
class SecurityIT {

    private static final String PASSWORD = "rollcall-sasl-password-42";
    private static final String TOKEN = "security-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void saslSettingsPassThroughToEveryKafkaClient() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithSaslPlain(Map.of("rollcall", PASSWORD))) {
            String id = "security-" + System.nanoTime();
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", kafka.saslBootstrapServers());
            settings.put("security.protocol", "SASL_PLAINTEXT");
            settings.put("sasl.mechanism", "PLAIN");
            settings.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"rollcall\" password=\"" + PASSWORD + "\";");
            settings.put("rollcall.application.id", id);
            settings.put("rollcall.topic.events", id + "-events");
            settings.put("rollcall.topic.aggregates", id + "-aggregates");
            settings.put("rollcall.topic.dead-letter", id + "-dlq");
            settings.put("rollcall.state.dir", Files.createTempDirectory("rollcall-security").toString());
            settings.put("rollcall.http.port", "0");
            settings.put("rollcall.http.advertised-host", "127.0.0.1");
            settings.put("rollcall.api.token", TOKEN);
            RollcallConfig config = RollcallConfig.of(settings);

            // The listener really demands the credentials.
            Properties anonymous = new Properties();
            anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers());
            anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
            anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
            try (Admin admin = Admin.create(anonymous)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS))
                        .as("a client without SASL settings").isNotNull();
            }

            try (Admin admin = Admin.create(config.kafkaProperties())) {
                io.rollcall.app.Topics.create(admin, List.of(new NewTopic(config.eventsTopic(), 2, (short) 1)));
            }
            try (RollcallApp app = RollcallApp.start(config)) {
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
                GroundTruth truth = GroundTruth.produce(config, 500, 20, 3);
                Fixtures.awaitCommitted(config, 500, Duration.ofMinutes(1));
                long someId = truth.byId().keySet().iterator().next();
                Answer<Aggregate> answer = app.aggregate(SeriesId.of(someId));
                assertThat(answer).isInstanceOf(Answer.Local.class);
                assertThat(((Answer.Local<Aggregate>) answer).value().count()).isEqualTo(truth.byId().get(someId).count);

                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + app.httpPort();
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rollouts/checkout"))
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("""
                                {"baselineRevision": "v1", "canaryRevision": "v2", "analysisWindow": "1s",
                                 "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}""")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(
                            URI.create(base + "/api/v1/rollouts/checkout")).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    assertThat(status.get("decision").asText()).as("a HOLD verdict, published and read back")
                            .isEqualTo("HOLD");
                });
                String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).isNotEmpty().doesNotContain(PASSWORD).doesNotContain(TOKEN);
                assertThat(config.toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
            }
        }
    }
}
