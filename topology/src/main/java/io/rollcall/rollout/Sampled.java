package io.rollcall.rollout;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * What the samplers send the judges over the internal {@code rollout-samples} repartition
 * topic: {@link Sample}s, keyed by service, and the {@link Progress} of each sampler's
 * partition of the events topic, sent to every partition.
 *
 * <p>The first byte of each record names its layout and that layout's version
 * ({@link Sample#FORMAT}, {@link Progress#FORMAT}), so a layout can change without a judge
 * misreading a record written by an older sampler during a rolling upgrade.
 */
public sealed interface Sampled permits Sample, Progress {

    byte[] toBytes();

    static Sampled fromBytes(byte[] bytes) {
        if (bytes.length == 0) {
            throw new SerializationException("empty rollout sample record");
        }
        return switch (bytes[0]) {
            case Sample.FORMAT -> Sample.fromBytes(bytes);
            case Progress.FORMAT -> Progress.fromBytes(bytes);
            default -> throw new SerializationException("not a rollout sample record: format " + bytes[0]);
        };
    }

    static Serde<Sampled> serde() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : value.toBytes(),
                (topic, bytes) -> bytes == null ? null : fromBytes(bytes));
    }

    /** Samples go by key, as in any repartition; progress goes to every partition. */
    static StreamPartitioner<String, Sampled> partitioner() {
        return (topic, key, value, partitions) -> value instanceof Progress
                ? Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toUnmodifiableSet()))
                : Optional.<Set<Integer>>empty();
    }
}
