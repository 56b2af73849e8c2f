package io.rollcall.topology;

/**
 * Headers added to every record on the dead-letter topic. Key, value and the original
 * headers stay as received, so a fixed record can be replayed as it is.
 */
public final class DeadLetterHeaders {

    /** Machine-readable reason, one of {@link io.rollcall.schema.BadRecordException.Reason#code()}. */
    public static final String REASON = "rollcall.error.reason";
    /** Human-readable explanation. */
    public static final String MESSAGE = "rollcall.error.message";
    public static final String SOURCE_TOPIC = "rollcall.source.topic";
    public static final String SOURCE_PARTITION = "rollcall.source.partition";
    public static final String SOURCE_OFFSET = "rollcall.source.offset";

    private DeadLetterHeaders() {
    }
}
