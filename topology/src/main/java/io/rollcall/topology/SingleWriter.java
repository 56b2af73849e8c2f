package io.rollcall.topology;

import org.apache.kafka.common.utils.Utils;

/**
 * Where a series belongs: the partition Kafka's default partitioner picks for its 8-byte
 * key, {@code toPositive(murmur2(key)) % partitions}. Streams' repartition sink uses the
 * same function, so a record re-routed through the repartition topic lands on exactly this
 * partition, and each series has one writer task no matter how its producer partitioned.
 */
public final class SingleWriter {

    private SingleWriter() {
    }

    public static int partitionFor(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
