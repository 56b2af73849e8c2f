package io.rollcall.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

@Timeout(60)
class EmbeddedKafkaTest {

    // Shared by the tests that need no broker of their own: the first start in a JVM takes about 2 s.
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void answersOnLoopbackAsTheOnlyNode() throws Exception {
        try (Admin admin = admin(kafka)) {
            assertThat(admin.describeCluster().nodes().get())
                .extracting(Node::id, Node::host, Node::port)
                .containsExactly(tuple(1, "127.0.0.1", Integer.parseInt(kafka.bootstrapServers().split(":")[1])));
        }
    }

    @Test
    void createsTopicWhosePartitionsAllHaveALeaderAndToleratesCreatingItAgain() throws Exception {
        NewTopic topic = new NewTopic("led-topic", 3, (short) 1);

        kafka.createTopics(List.of(topic));
        kafka.createTopics(List.of(topic));

        try (Admin admin = admin(kafka)) {
            TopicDescription description = admin.describeTopics(List.of("led-topic")).allTopicNames().get().get("led-topic");
            assertThat(description.partitions()).hasSize(3);
            assertThat(description.partitions()).extracting(TopicPartitionInfo::leader).extracting(Node::id).containsOnly(1);
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsButNotAbortedOnes() {
        kafka.createTopics(List.of(new NewTopic("transactional", 3, (short) 1)));

        try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "embedded-kafka-test")) {
            producer.initTransactions();
            producer.beginTransaction();
            IntStream.range(0, 3).forEach(partition ->
                producer.send(new ProducerRecord<>("transactional", partition, "key-" + partition, "committed-" + partition)));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", 0, "key-0", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }

        List<String> values = readCommitted(kafka, "transactional", 3, 3).stream().map(ConsumerRecord::value).toList();

        assertThat(values).containsExactlyInAnyOrder("committed-0", "committed-1", "committed-2");
    }

    @Test
    void closeDeletesTheTemporaryLogDirectoryAndMayBeRepeated() {
        EmbeddedKafka own = EmbeddedKafka.start();
        Path logDir = own.logDir();
        assertThat(logDir.resolve("meta.properties")).exists();

        own.close();
        own.close();

        assertThat(logDir).doesNotExist();
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka, String transactionalId) {
        return new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId),
            new StringSerializer(), new StringSerializer());
    }

    /** Reads from the start of every partition until {@code expected} records or 10 s have passed. */
    private static List<ConsumerRecord<String, String>> readCommitted(
        EmbeddedKafka kafka, String topic, int partitions, int expected) {
        List<TopicPartition> assignment = IntStream.range(0, partitions)
            .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        // Assigned rather than subscribed: no group, so no rebalance to wait for.
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(assignment);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            // One more poll: an aborted record that slipped through would show up here.
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
