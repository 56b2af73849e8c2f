package io.rollcall.app;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Progress figures read through the Admin API: committed offsets of a group, end offsets of a topic. */
public final class Offsets {

    private Offsets() {
    }

    /** Sum over the topic's partitions of the group's committed offsets. */
    public static long committed(Admin admin, String group, String topic) throws ExecutionException, InterruptedException {
        return committedByPartition(admin, group).entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** The group's committed offset of every partition it has committed. */
    public static Map<TopicPartition, Long> committedByPartition(Admin admin, String group)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        offsets.forEach((tp, offset) -> {
            if (offset != null) {
                out.put(tp, offset.offset());
            }
        });
        return out;
    }

    /** Last stable offset (what a read_committed consumer can reach) of every partition of the topics. */
    public static Map<TopicPartition, Long> lastStable(Admin admin, java.util.Collection<String> topics)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()),
                        OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
