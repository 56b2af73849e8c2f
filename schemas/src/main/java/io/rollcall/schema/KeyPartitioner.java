package io.rollcall.schema;

import org.apache.kafka.common.utils.Utils;

/**
 * Where a key belongs: the partition Kafka's default partitioner picks for it,
 * {@code toPositive(murmur2(key)) % partitions}. Streams' repartition sinks use the same
 * function, so a record re-routed through a repartition topic lands on exactly this partition:
 * each series (8-byte key) has one writer task however its producer partitioned, and each
 * service under rollout (UTF-8 key) one judge.
 */
public final class KeyPartitioner {

    private KeyPartitioner() {
    }

    public static int partition(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
