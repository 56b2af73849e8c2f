package io.rollcall.schema;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that cannot be read as the contract says. Thrown by the serdes instead of Avro's
 * own runtime exceptions, so callers can route the record to the dead-letter topic with a
 * machine-readable {@link Reason} and keep going.
 */
public final class BadRecordException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** Why a record is bad; {@link #code()} is what the dead-letter header carries. */
    public enum Reason {
        /** Key missing or not 8 bytes. */
        BAD_KEY("bad-key"),
        /** Value missing (null). */
        NULL_VALUE("null-value"),
        /** Value larger than the configured limit. */
        TOO_LARGE("too-large"),
        /** Neither single-object nor Confluent framing (wrong marker bytes, or shorter than the header). */
        BAD_FRAMING("bad-framing"),
        /**
         * Framing is right but the writer schema is unknown: a fingerprint that is not a
         * released schema, an id the registry does not have, or an id with no registry configured.
         */
        UNKNOWN_SCHEMA("unknown-schema"),
        /** Known writer schema but the body does not decode (truncated, garbage, too many items). */
        MALFORMED("malformed"),
        /** The writer schema cannot be resolved to the reader schema (e.g. unknown enum symbol). */
        INCOMPATIBLE_SCHEMA("incompatible-schema"),
        /** Decodes, but breaks a rule of the contract (key != id, non-finite value, ...). */
        INVALID_EVENT("invalid-event");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public BadRecordException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BadRecordException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
