package io.rollcall.store;

import java.nio.ByteBuffer;

/** Series keys: 8 bytes, big-endian, so byte order is unsigned id order. */
final class Keys {

    private Keys() {
    }

    static long id(byte[] key) {
        if (key.length != Long.BYTES) {
            throw new IllegalArgumentException("a series key has 8 bytes, got " + key.length);
        }
        return ByteBuffer.wrap(key).getLong();
    }

    static byte[] bytes(long id) {
        return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
    }
}
