package io.rollcall.load;

import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * The partitioner of Go's sarama client (its hash partitioner: 32-bit FNV-1a of the key,
 * as a signed int, absolute value modulo the partition count). Producers like this put
 * series on other partitions than Kafka's murmur2; rollcall must still give each series a
 * single writer. Used by {@code rollcall produce --partitioner fnv1a} and by tests.
 */
public final class Fnv1aPartitioner implements Partitioner {

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionsForTopic(topic).size();
        return partitionFor(keyBytes, partitions);
    }

    public static int partitionFor(byte[] keyBytes, int partitions) {
        int hash = 0x811c9dc5;
        for (byte b : keyBytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        int partition = hash % partitions;
        return partition < 0 ? -partition : partition;
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
