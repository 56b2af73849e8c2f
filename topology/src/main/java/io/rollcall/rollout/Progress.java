package io.rollcall.rollout;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * How far one partition of the events topic has come, in event time: its sampler expects no
 * more events stamped before {@code time}, except out of order within the grace.
 *
 * @param partition the partition of the events topic
 * @param time      event time (epoch ms) that partition has reached
 */
public record Progress(int partition, long time) implements Sampled {

    /** Layout 2, version 1: format, partition (4 bytes), time (8 bytes). */
    static final byte FORMAT = 2;

    private static final int SIZE = 1 + 4 + 8;

    @Override
    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).put(FORMAT).putInt(partition).putLong(time).array();
    }

    static Progress fromBytes(byte[] bytes) {
        if (bytes.length != SIZE || bytes[0] != FORMAT) {
            throw new SerializationException("not a rollout progress record of format " + FORMAT);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, SIZE - 1);
        return new Progress(buffer.getInt(), buffer.getLong());
    }
}
