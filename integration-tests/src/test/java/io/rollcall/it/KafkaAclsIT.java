package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rollcall.app.RollcallApp;
import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rollcall on a cluster that enforces ACLs, with exactly the ACLs of the shipped Strimzi
 * {@code KafkaUser} ({@code k8s/components/strimzi/kafkauser.yaml}) and the names of the shipped
 * {@code rollcall.properties}: the topics exist beforehand (as Strimzi's KafkaTopics make them),
 * and rollcall — exactly-once, with standbys — prepares, aggregates, accepts a rollout and
 * publishes its verdicts.
 */
class KafkaAclsIT {

    private static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();
    private static final String PASSWORD = "rollcall-acl-password-42";
    private static final String TOKEN = "acls-it-token-0123456789";

    private static EmbeddedKafka kafka;
    private static RollcallConfig config;
    private static RollcallApp app;
    private static GroundTruth truth;

    @BeforeAll
    static void startBrokerWithTheManifestsAcls() throws Exception {
        kafka = EmbeddedKafka.startWith(EmbeddedKafka.SecuredListener.saslPlain(Map.of("rollcall", PASSWORD)).enforcingAcls());
        config = manifestConfig(Map.of(
                "bootstrap.servers", kafka.securedBootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"rollcall\" password=\"" + PASSWORD + "\";"));
        RollcallConfig operator = manifestConfig(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        try (Admin admin = Admin.create(operator.kafkaProperties())) {
            List<NewTopic> topics = new ArrayList<>(Topics.plan(operator, 3, Optional.empty()));
            topics.add(new NewTopic(operator.eventsTopic(), 3, (short) 1));
            Topics.create(admin, topics);
            admin.createAcls(strimziAcls("User:rollcall")).all().get(30, TimeUnit.SECONDS);
        }
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(90))).isTrue();
        truth = GroundTruth.produce(operator, 300, 10, 5);
        Fixtures.awaitCommitted(operator, 300, Duration.ofMinutes(1));
    }

    @AfterAll
    static void stop() {
        try (EmbeddedKafka broker = kafka) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void theAppAggregatesWithOnlyTheKafkaUsersAcls() {
        SecuredAppChecks.aggregatesAsProduced(app, truth);
    }

    @Test
    void theAppAcceptsARolloutAndPublishesItsVerdictsWithOnlyTheKafkaUsersAcls() {
        SecuredAppChecks.acceptsAndJudgesARollout(Api.of(app, TOKEN));
    }

    /** The shipped rollcall.properties with a state dir, HTTP port and token of the test's, plus {@code kafka}. */
    private static RollcallConfig manifestConfig(Map<String, String> kafkaSettings) throws IOException {
        Properties shipped = new Properties();
        shipped.load(new StringReader(Files.readString(K8S.resolve("base/rollcall.properties"))));
        Map<String, String> settings = new HashMap<>();
        shipped.stringPropertyNames().forEach(key -> settings.put(key, shipped.getProperty(key).strip()));
        settings.put("rollcall.state.dir", Files.createTempDirectory("rollcall-acls").toString());
        settings.put("rollcall.http.port", "0");
        settings.put("rollcall.http.advertised-host", "127.0.0.1");
        settings.put("rollcall.api.token", TOKEN);
        settings.putAll(kafkaSettings);
        return RollcallConfig.of(settings);
    }

    /** The ACLs of the shipped KafkaUser, as Strimzi's User Operator creates them. */
    private static List<AclBinding> strimziAcls(String principal) throws IOException {
        JsonNode user = new ObjectMapper(new YAMLFactory()).readTree(K8S.resolve("components/strimzi/kafkauser.yaml").toFile());
        List<AclBinding> bindings = new ArrayList<>();
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            JsonNode resource = acl.path("resource");
            ResourceType type = switch (resource.path("type").asText()) {
                case "topic" -> ResourceType.TOPIC;
                case "group" -> ResourceType.GROUP;
                case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                case "cluster" -> ResourceType.CLUSTER;
                default -> throw new IllegalArgumentException("resource type " + resource.path("type"));
            };
            ResourcePattern pattern = new ResourcePattern(type,
                    type == ResourceType.CLUSTER ? Resource.CLUSTER_NAME : resource.path("name").asText(),
                    resource.path("patternType").asText("literal").equals("prefix") ? PatternType.PREFIXED
                            : PatternType.LITERAL);
            for (JsonNode operation : acl.path("operations")) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, acl.path("host").asText("*"),
                        AclOperation.fromString(operation.asText().replaceAll("([a-z])([A-Z])", "$1_$2")
                                .toUpperCase(Locale.ROOT)), AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }
}
