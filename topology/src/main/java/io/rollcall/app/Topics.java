package io.rollcall.app;

import io.rollcall.config.ConfigException;
import io.rollcall.config.RollcallConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks the input topic and creates the output topics of the contract when they are missing. */
public final class Topics {

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
    private static final long TIMEOUT_SECONDS = 30;

    private Topics() {
    }

    /** Partition count of a topic, or empty when it does not exist. */
    private static Optional<Integer> partitions(Admin admin, String topic) {
        try {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
            return Optional.of(description.partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka within " + TIMEOUT_SECONDS
                    + " s describing topic " + topic + "; is bootstrap.servers right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Retention of the verdicts topic when rollcall creates it. */
    static final java.time.Duration VERDICT_RETENTION = java.time.Duration.ofDays(365);

    /**
     * Reads the events topic's partition count (the single-writer check needs it) and
     * creates the topics of {@link #plan} that do not exist.
     *
     * @throws ConfigException when the events topic does not exist
     */
    public static int prepare(Admin admin, RollcallConfig config) {
        int partitions = partitions(admin, config.eventsTopic()).orElseThrow(() -> new ConfigException(
                "rollcall.topic.events: topic '" + config.eventsTopic() + "' does not exist; create it first"
                        + " (its partition count fixes how series are spread over tasks)"));
        Set<String> missing = new HashSet<>();
        for (NewTopic topic : plan(config, partitions, Optional.empty())) {
            if (partitions(admin, topic.name()).isEmpty()) {
                missing.add(topic.name());
            }
        }
        // Only a topic to create needs the events topic's settings (DescribeConfigs, which a
        // principal on a cluster with ACLs and operator-made topics need not have).
        if (!missing.isEmpty()) {
            create(admin, plan(config, partitions, maxMessageBytes(admin, config.eventsTopic())).stream()
                    .filter(topic -> missing.contains(topic.name())).toList());
        }
        return partitions;
    }

    /**
     * The topics rollcall writes besides the events topic, as it creates them: the aggregates
     * (compacted), dead-letter and verdicts topics with the events topic's partition count,
     * the rollouts topic compacted with one partition. Deployment manifests (Strimzi
     * {@code KafkaTopic}s) are checked against this.
     *
     * @param eventsMaxMessageBytes the events topic's max.message.bytes, copied to the dead-letter topic
     */
    public static List<NewTopic> plan(RollcallConfig config, int partitions, Optional<String> eventsMaxMessageBytes) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(config.aggregatesTopic(), Optional.of(partitions), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Dead letters are copied byte for byte: the topic takes records as large as the input does.
        Map<String, String> dlq = new java.util.HashMap<>(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
        eventsMaxMessageBytes.ifPresent(bytes -> dlq.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes));
        topics.add(new NewTopic(config.deadLetterTopic(), Optional.of(partitions), Optional.empty()).configs(dlq));
        // Few, small records: one partition; compacted so the latest spec per service stays.
        topics.add(new NewTopic(config.rollouts().specsTopic(), Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // An audit trail: kept for a year by default.
        topics.add(new NewTopic(config.rollouts().verdictsTopic(), Optional.of(partitions), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(VERDICT_RETENTION.toMillis()))));
        return topics;
    }

    /** A topic's {@code max.message.bytes}, when the cluster tells. */
    static Optional<String> maxMessageBytes(Admin admin, String topic) {
        try {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            var entry = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(resource).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("cannot read max.message.bytes of {}: {}", topic, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Creates the topics that do not exist yet (another instance may race us) and returns once
     * every partition of every given topic is served by its leader.
     *
     * <p>Waiting matters: producing at full speed right after creation lost records and stalled
     * (KAFKA-15591). Creation is acknowledged when the controller has committed the topic, before
     * the leader's replica manager has loaded the partitions, and metadata can show a leader
     * before then; so every partition is also probed with ListOffsets, which only the leader's
     * replica manager answers.
     */
    public static void create(Admin admin, Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        Set<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toSet());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        try {
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                    LOG.info("created topic {}", created.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + created.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            Map<String, TopicDescription> descriptions = describe(admin, names, deadline);
            while (!allLed(descriptions)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions of " + names + " still have no leader after "
                            + TIMEOUT_SECONDS + " s");
                }
                Thread.sleep(50);
                descriptions = describe(admin, names, deadline);
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            descriptions.values().forEach(d -> d.partitions().forEach(p ->
                    latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            awaitServed(admin, latest, deadline);
        } catch (ExecutionException e) {
            throw new IllegalStateException("topics " + names + " did not become available: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics " + names + " were not available within " + TIMEOUT_SECONDS
                    + " s; is bootstrap.servers right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Describes the topics, retrying while the broker's metadata does not know them yet: right
     * after creation it may answer UNKNOWN_TOPIC_OR_PARTITION (seen in CI under load).
     */
    private static Map<String, TopicDescription> describe(Admin admin, Set<String> names, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Probes every partition with ListOffsets until each leader's replica manager answers.
     * Right after creation a leader may still answer UNKNOWN_TOPIC_OR_PARTITION, and the Admin
     * client does not always retry that itself; seen in CI, so retry until the deadline.
     */
    private static void awaitServed(Admin admin, Map<TopicPartition, OffsetSpec> partitions, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        while (true) {
            try {
                admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(remainingMillis(deadline))).all()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean allLed(Map<String, TopicDescription> descriptions) {
        return descriptions.values().stream()
                .flatMap(d -> d.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(leader -> leader != null && !leader.isEmpty());
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
