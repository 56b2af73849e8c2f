package io.rollcall.schema;

import java.nio.ByteBuffer;

/**
 * A series id: an unsigned 64-bit integer (0 … 18446744073709551615) held in the bits of a
 * {@code long}. Ids at or above 2^63 are ordinary ids; they only look negative as a Java long.
 *
 * <p>On Kafka the id is 8 bytes, big-endian, so that byte order equals unsigned numeric order
 * and RocksDB range scans come back sorted by id. In text (URLs, JSON) it is the unsigned
 * decimal string, because JavaScript clients lose precision above 2^53.
 */
public record SeriesId(long bits) implements Comparable<SeriesId> {

    public static final int BYTES = Long.BYTES;
    public static final SeriesId MIN = new SeriesId(0L);
    public static final SeriesId MAX = new SeriesId(-1L);

    /** The longest decimal form, 18446744073709551615. */
    private static final int MAX_DECIMAL_DIGITS = 20;

    public static SeriesId of(long bits) {
        return new SeriesId(bits);
    }

    /**
     * Parses an unsigned decimal string. Only ASCII digits are accepted: no sign, no
     * whitespace, no hex, at most 20 digits, and the value must fit in 64 bits.
     *
     * @throws InvalidSeriesIdException naming what is wrong with the text
     */
    public static SeriesId parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidSeriesIdException("series id is empty");
        }
        if (text.length() > MAX_DECIMAL_DIGITS) {
            throw new InvalidSeriesIdException(
                    "series id must be an unsigned decimal of at most 20 digits, got " + abbreviate(text));
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidSeriesIdException(
                        "series id must be an unsigned decimal (digits only), got " + abbreviate(text));
            }
        }
        try {
            return new SeriesId(Long.parseUnsignedLong(text));
        } catch (NumberFormatException e) {
            throw new InvalidSeriesIdException(
                    "series id is above 18446744073709551615 (2^64-1): " + text);
        }
    }

    /** Reads the 8-byte big-endian key form. */
    public static SeriesId fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidSeriesIdException("series id key is null");
        }
        if (bytes.length != BYTES) {
            throw new InvalidSeriesIdException(
                    "series id key must be exactly 8 bytes, got " + bytes.length);
        }
        return new SeriesId(ByteBuffer.wrap(bytes).getLong());
    }

    /** The 8-byte big-endian key form. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(bits).array();
    }

    @Override
    public int compareTo(SeriesId other) {
        return Long.compareUnsigned(bits, other.bits);
    }

    /** The unsigned decimal form, e.g. {@code 18446744073709551615}. */
    @Override
    public String toString() {
        return Long.toUnsignedString(bits);
    }

    private static String abbreviate(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return "'" + shown + "'";
    }
}
