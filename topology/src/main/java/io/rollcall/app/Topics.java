package io.rollcall.app;

import io.rollcall.config.ConfigException;
import io.rollcall.config.RollcallConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
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
    public static Optional<Integer> partitions(Admin admin, String topic) {
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

    /**
     * Reads the events topic's partition count (the single-writer check needs it) and
     * creates the aggregates (compacted) and dead-letter topics with as many partitions
     * when they do not exist.
     *
     * @throws ConfigException when the events topic does not exist
     */
    public static int prepare(Admin admin, RollcallConfig config) {
        int partitions = partitions(admin, config.eventsTopic()).orElseThrow(() -> new ConfigException(
                "rollcall.topic.events: topic '" + config.eventsTopic() + "' does not exist; create it first"
                        + " (its partition count fixes how series are spread over tasks)"));
        List<NewTopic> missing = new ArrayList<>();
        if (partitions(admin, config.aggregatesTopic()).isEmpty()) {
            missing.add(new NewTopic(config.aggregatesTopic(), Optional.of(partitions), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        if (partitions(admin, config.deadLetterTopic()).isEmpty()) {
            missing.add(new NewTopic(config.deadLetterTopic(), Optional.of(partitions), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)));
        }
        create(admin, missing);
        return partitions;
    }

    /** Creates topics, tolerating ones that already exist (another instance may race us). */
    public static void create(Admin admin, List<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        for (NewTopic topic : topics) {
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.info("created topic {} with {} partitions", topic.name(), topic.numPartitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                            + e.getCause().getMessage(), e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("no answer from Kafka within " + TIMEOUT_SECONDS
                        + " s creating topic " + topic.name(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
