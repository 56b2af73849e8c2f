package io.rollcall.it;

import static org.awaitility.Awaitility.await;

import io.rollcall.app.Offsets;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.avro.Decision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Unique names per test, and ways to wait for and read what the app wrote. */
final class Fixtures {

    private Fixtures() {
    }

    /** A config with its own application id and topics, so tests never see each other's data. */
    static RollcallConfig uniqueConfig(String test) {
        String id = test + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Path stateDir = Files.createTempDirectory("rollcall-it-" + test);
            return RollcallConfig.of(Map.of(
                    "bootstrap.servers", KafkaCluster.get().bootstrapServers(),
                    "rollcall.application.id", id,
                    "rollcall.topic.events", id + "-events",
                    "rollcall.topic.aggregates", id + "-aggregates",
                    "rollcall.topic.dead-letter", id + "-dlq",
                    "rollcall.topic.rollouts", id + "-rollouts",
                    "rollcall.topic.verdicts", id + "-verdicts",
                    "rollcall.state.dir", stateDir.toString(),
                    "rollcall.http.port", "0",
                    "rollcall.http.advertised-host", "127.0.0.1"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A {@link #uniqueConfig} for rollout tests: writes take {@code token}, windows are judged
     * 500 ms after they end and commits every 100 ms; the events, aggregates and dead-letter
     * topics exist with 3 partitions.
     */
    static RollcallConfig rolloutConfig(String test, String token) {
        RollcallConfig config = uniqueConfig(test).with(Map.of(
                "rollcall.api.token", token,
                "rollcall.rollout.grace", "500ms",
                "commit.interval.ms", "100"));
        KafkaCluster.get().createTopics(List.of(KafkaCluster.topic(config.eventsTopic(), 3),
                KafkaCluster.compacted(config.aggregatesTopic(), 3), KafkaCluster.topic(config.deadLetterTopic(), 3)));
        return config;
    }

    /**
     * Waits until the app has consumed and committed (exactly-once: transactionally)
     * {@code records} input records, and everything it re-routed through its repartition
     * topic too: only then does every store and output hold every event.
     */
    static void awaitCommitted(RollcallConfig config, long records, Duration timeout) {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> Offsets.committed(admin, config.applicationId(), config.eventsTopic()) >= records
                            && repartitionLag(admin, config.applicationId()) == 0);
        }
    }

    /** Records of the app's repartition topics not yet committed, against the last stable offsets. */
    private static long repartitionLag(Admin admin, String group) throws ExecutionException, InterruptedException {
        Set<String> topics = admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(group + "-") && t.endsWith("-repartition"))
                .collect(Collectors.toSet());
        if (topics.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> done = Offsets.committedByPartition(admin, group);
        return Offsets.lastStable(admin, topics).entrySet().stream()
                .mapToLong(e -> e.getValue() - done.getOrDefault(e.getKey(), 0L))
                .sum();
    }

    /** Every verdict on the config's verdicts topic (read_committed), in order. */
    static List<io.rollcall.schema.avro.RolloutVerdict> verdicts(RollcallConfig config) {
        var serde = io.rollcall.schema.AvroSerde.rolloutVerdict();
        List<io.rollcall.schema.avro.RolloutVerdict> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(config, config.rollouts().verdictsTopic())) {
            out.add(serde.deserialize(record.value()));
        }
        return out;
    }

    static boolean isTerminal(io.rollcall.schema.avro.RolloutVerdict verdict) {
        return verdict.getDecision() == Decision.PROMOTE || verdict.getDecision() == Decision.ROLLBACK;
    }

    /**
     * Watches the verdicts for {@code quiet} while windows keep closing, and fails as soon as
     * anything follows the first terminal verdict (or there is none).
     */
    static void awaitNothingAfterTheTerminalVerdict(RollcallConfig config, Duration quiet) {
        await().during(quiet).atMost(quiet.plusSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<io.rollcall.schema.avro.RolloutVerdict> verdicts = verdicts(config);
            int firstTerminal = verdicts.stream().filter(Fixtures::isTerminal).findFirst().map(verdicts::indexOf).orElse(-1);
            return firstTerminal >= 0 && firstTerminal == verdicts.size() - 1;
        });
    }

    /** Every committed record of a topic, from the beginning to the end offsets at call time. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(RollcallConfig config, String topic) {
        Properties props = config.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (Admin admin = Admin.create(config.kafkaProperties());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
