package io.rollcall.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One request of a service under rollout, as the judge needs it: which rollout and role,
 * its latency, whether it failed, and its event time. Travels on the internal
 * {@code rollout-samples} repartition topic keyed by service, so every sample of a rollout
 * reaches the one task that judges it.
 */
public record Sample(String rolloutId, Role role, double latencyMs, boolean error, long timestamp) {

    private static final byte VERSION = 1;

    /** Compact fixed layout: version, role, error, latency, timestamp, rollout id (UTF-8). */
    public static Serde<Sample> serde() {
        Serializer<Sample> serializer = (topic, sample) -> {
            if (sample == null) {
                return null;
            }
            byte[] id = sample.rolloutId().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(3 + 8 + 8 + id.length)
                    .put(VERSION)
                    .put((byte) sample.role().ordinal())
                    .put((byte) (sample.error() ? 1 : 0))
                    .putDouble(sample.latencyMs())
                    .putLong(sample.timestamp())
                    .put(id)
                    .array();
        };
        Deserializer<Sample> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < 19 || bytes[0] != VERSION || bytes[1] < 0 || bytes[1] >= Role.values().length) {
                throw new SerializationException("not a rollout sample of version " + VERSION);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            buffer.position(3);
            double latency = buffer.getDouble();
            long timestamp = buffer.getLong();
            String id = new String(bytes, 19, bytes.length - 19, StandardCharsets.UTF_8);
            return new Sample(id, Role.values()[bytes[1]], latency, bytes[2] == 1, timestamp);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
