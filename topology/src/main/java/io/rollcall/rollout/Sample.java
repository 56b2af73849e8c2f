package io.rollcall.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * One request of a service under rollout, as the judge needs it: which rollout and role,
 * its latency, whether it failed, and its event time. Travels on the internal
 * {@code rollout-samples} repartition topic keyed by service, so every sample of a rollout
 * reaches the one task that judges it.
 */
public record Sample(String rolloutId, Role role, double latencyMs, boolean error, long timestamp)
        implements Sampled {

    /** Layout 1, version 1: format, role, error, latency, timestamp, rollout id (UTF-8). */
    static final byte FORMAT = 1;

    private static final int FIXED = 3 + 8 + 8;

    @Override
    public byte[] toBytes() {
        byte[] id = rolloutId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(FIXED + id.length)
                .put(FORMAT)
                .put((byte) role.ordinal())
                .put((byte) (error ? 1 : 0))
                .putDouble(latencyMs)
                .putLong(timestamp)
                .put(id)
                .array();
    }

    static Sample fromBytes(byte[] bytes) {
        if (bytes.length < FIXED || bytes[0] != FORMAT || bytes[1] < 0 || bytes[1] >= Role.values().length) {
            throw new SerializationException("not a rollout sample of format " + FORMAT);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(3);
        double latency = buffer.getDouble();
        long timestamp = buffer.getLong();
        String id = new String(bytes, FIXED, bytes.length - FIXED, StandardCharsets.UTF_8);
        return new Sample(id, Role.values()[bytes[1]], latency, bytes[2] == 1, timestamp);
    }
}
