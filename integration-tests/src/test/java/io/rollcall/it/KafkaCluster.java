package io.rollcall.it;

import io.rollcall.app.Topics;
import io.rollcall.embedded.EmbeddedKafka;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real Kafka cluster integration tests run against, one per test JVM:
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} when set (an external cluster);</li>
 *   <li>else a Testcontainers Kafka broker where a Docker engine runs;</li>
 *   <li>else a single-node KRaft broker started in this JVM ({@link EmbeddedKafka}).</li>
 * </ol>
 * Tests isolate themselves with unique topic names and application ids, never by
 * restarting the broker.
 */
public final class KafkaCluster {

    private static final String IMAGE = "apache/kafka:4.1.0";
    private static KafkaCluster instance;

    private final String bootstrapServers;
    private final String kind;

    private KafkaCluster(String bootstrapServers, String kind) {
        this.bootstrapServers = bootstrapServers;
        this.kind = kind;
    }

    public static synchronized KafkaCluster get() {
        if (instance == null) {
            instance = start();
            System.out.println("integration tests use " + instance.kind + " at " + instance.bootstrapServers);
        }
        return instance;
    }

    private static KafkaCluster start() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            return new KafkaCluster(external, "an external cluster");
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(IMAGE);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
            return new KafkaCluster(container.getBootstrapServers(), "a Testcontainers broker (" + IMAGE + ")");
        }
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
        return new KafkaCluster(kafka.bootstrapServers(), "an in-process KRaft broker");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** Creates the topics and returns once every partition is served (see {@link Topics#create}). */
    public void createTopics(List<NewTopic> topics) {
        try (Admin admin = Admin.create(clientProperties())) {
            Topics.create(admin, topics);
        }
    }

    public static NewTopic topic(String name, int partitions) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty());
    }

    public static NewTopic compacted(String name, int partitions) {
        return topic(name, partitions).configs(Map.of("cleanup.policy", "compact"));
    }
}
