package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Kafka client security settings reach every client the app creates, for each way a cluster
 * is commonly secured: SASL/PLAIN, SASL/SCRAM-SHA-512 over TLS, and mutual TLS. In each case
 * the broker's only client port for the app requires it: a client lacking the credential
 * cannot even list topics, while rollcall — configured only through its properties — prepares
 * its topics (admin), aggregates events (Streams' consumers and producers), serves them, writes
 * a rollout spec (its own producer), reads it back (the global consumer) and publishes
 * verdicts. No password appears in {@code /metrics} or in the config's text. One nested class
 * per way of securing the cluster, each with its own broker and app.
 */
class SecurityIT {

    private static final String PASSWORD = "rollcall-sasl-password-42";
    private static final String STORE_PASSWORD = "rollcall-store-password-17";
    private static final String TOKEN = "security-it-token-0123456789";

    private static Path brokerKeystore;
    private static Path clientKeystore;
    private static Path clientTrusts;
    private static Path brokerTrusts;

    /**
     * One way of securing the cluster: the broker's listener, the client settings that pass it,
     * and the same settings lacking the credential (which must be refused).
     */
    record Security(String name, EmbeddedKafka.SecuredListener listener, Map<String, String> client,
                    Map<String, String> withoutCredential) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void certificates() throws Exception {
        Path dir = Files.createTempDirectory("rollcall-security");
        brokerKeystore = Certificates.selfSigned(dir, "broker", "localhost", STORE_PASSWORD);
        clientKeystore = Certificates.selfSigned(dir, "client", "rollcall", STORE_PASSWORD);
        clientTrusts = Certificates.trusting(dir, "client-trusts", STORE_PASSWORD, brokerKeystore);
        brokerTrusts = Certificates.trusting(dir, "broker-trusts", STORE_PASSWORD, clientKeystore);
    }

    static List<Security> securities() {
        Map<String, String> trustBroker = Map.of(
                "ssl.truststore.location", clientTrusts.toString(),
                "ssl.truststore.password", STORE_PASSWORD,
                "ssl.truststore.type", "PKCS12");
        Map<String, String> scram = new HashMap<>(trustBroker);
        scram.put("security.protocol", "SASL_SSL");
        scram.put("sasl.mechanism", "SCRAM-SHA-512");
        Map<String, String> wrongScram = new HashMap<>(scram);
        scram.put("sasl.jaas.config", scramJaas(PASSWORD));
        wrongScram.put("sasl.jaas.config", scramJaas("not-the-password"));

        Map<String, String> tlsOnly = new HashMap<>(trustBroker);
        tlsOnly.put("security.protocol", "SSL");
        Map<String, String> mutual = new HashMap<>(tlsOnly);
        mutual.putAll(Map.of(
                "ssl.keystore.location", clientKeystore.toString(),
                "ssl.keystore.password", STORE_PASSWORD,
                "ssl.key.password", STORE_PASSWORD,
                "ssl.keystore.type", "PKCS12"));
        return List.of(
                new Security("SASL_PLAINTEXT with PLAIN",
                        EmbeddedKafka.SecuredListener.saslPlain(Map.of("rollcall", PASSWORD)),
                        Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                                "sasl.jaas.config", plainJaas(PASSWORD)),
                        Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                                "sasl.jaas.config", plainJaas("not-the-password"))),
                new Security("SASL_SSL with SCRAM-SHA-512",
                        EmbeddedKafka.SecuredListener.saslScramSsl(brokerKeystore, STORE_PASSWORD),
                        scram, wrongScram),
                new Security("mutual TLS",
                        EmbeddedKafka.SecuredListener.mutualTls(brokerKeystore, STORE_PASSWORD, brokerTrusts,
                                STORE_PASSWORD),
                        mutual, tlsOnly));
    }

    private static String plainJaas(String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"rollcall\" password=\"" + password + "\";";
    }

    private static String scramJaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"rollcall\" password=\"" + password + "\";";
    }

    /**
     * One cluster secured one way, with rollcall running against it: started once, then each
     * method checks one thing a client of that cluster must get right.
     */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract class SecuredCluster {

        private EmbeddedKafka kafka;
        private RollcallConfig config;
        private RollcallApp app;
        private GroundTruth truth;
        private Api api;

        abstract Security security();

        @BeforeAll
        void startBrokerAndApp() throws Exception {
            Security security = security();
            kafka = EmbeddedKafka.startWith(security.listener());
            if ("SCRAM-SHA-512".equals(security.client().get("sasl.mechanism"))) {
                kafka.addScramUser("rollcall", PASSWORD);
            }
            config = config(security, kafka.securedBootstrapServers());
            // SCRAM users live in the cluster metadata, which the broker applies just after the
            // controller commits it; the app's first connection should not race it.
            try (Admin admin = Admin.create(config.kafkaProperties())) {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS) != null);
                io.rollcall.app.Topics.create(admin, List.of(new NewTopic(config.eventsTopic(), 2, (short) 1)));
            }
            app = RollcallApp.start(config);
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            api = Api.of(app, TOKEN);
            truth = GroundTruth.produce(config, 500, 20, 3);
            Fixtures.awaitCommitted(config, 500, Duration.ofMinutes(1));
        }

        @AfterAll
        void stop() {
            try (EmbeddedKafka broker = kafka) {
                if (app != null) {
                    app.close();
                }
            }
        }

        @Test
        void aClientLackingTheCredentialCannotEvenListTopics() {
            Properties lacking = new Properties();
            lacking.putAll(security().withoutCredential());
            lacking.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.securedBootstrapServers());
            lacking.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
            lacking.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
            try (Admin admin = Admin.create(lacking)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS))
                        .as("a client without the credential").isNotNull();
            }
        }

        @Test
        void theAppAggregatesEventsFromTheSecuredCluster() {
            SecuredAppChecks.aggregatesAsProduced(app, truth);
        }

        @Test
        void aRolloutSpecIsWrittenReadBackAndJudged() {
            SecuredAppChecks.acceptsAndJudgesARollout(api);
        }

        @Test
        void theMetricsPageShowsNoSecret() {
            assertThat(api.get("/metrics").body()).isNotEmpty().doesNotContain(PASSWORD).doesNotContain(STORE_PASSWORD)
                    .doesNotContain(TOKEN);
        }

        @Test
        void theConfigTextShowsNoSecret() {
            assertThat(config.toString()).doesNotContain(PASSWORD).doesNotContain(STORE_PASSWORD).doesNotContain(TOKEN);
        }
    }

    @Nested
    class SaslPlain extends SecuredCluster {
        @Override
        Security security() {
            return securities().get(0);
        }
    }

    @Nested
    class SaslScramOverTls extends SecuredCluster {
        @Override
        Security security() {
            return securities().get(1);
        }
    }

    @Nested
    class MutualTls extends SecuredCluster {
        @Override
        Security security() {
            return securities().get(2);
        }
    }

    private static RollcallConfig config(Security security, String bootstrapServers) throws Exception {
        String id = "security-" + System.nanoTime();
        Map<String, String> settings = new HashMap<>(security.client());
        settings.put("bootstrap.servers", bootstrapServers);
        settings.put("rollcall.application.id", id);
        settings.put("rollcall.topic.events", id + "-events");
        settings.put("rollcall.topic.aggregates", id + "-aggregates");
        settings.put("rollcall.topic.dead-letter", id + "-dlq");
        settings.put("rollcall.state.dir", Files.createTempDirectory("rollcall-security").toString());
        settings.put("rollcall.http.port", "0");
        settings.put("rollcall.http.advertised-host", "127.0.0.1");
        settings.put("rollcall.api.token", TOKEN);
        return RollcallConfig.of(settings);
    }
}
