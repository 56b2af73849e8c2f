package io.rollcall.topology;

import io.rollcall.schema.BadRecordException.Reason;
import io.rollcall.schema.avro.MetricEvent;

/** The outcome of checking one raw record against the contract. */
sealed interface Validated {

    /**
     * A good event.
     *
     * @param placed whether the record already sits on its murmur2 partition, so the task
     *               reading it is the series' single writer
     */
    record Valid(MetricEvent event, boolean placed) implements Validated {
    }

    /** A bad record, kept byte for byte for the dead-letter topic. */
    record Invalid(byte[] rawValue, Reason reason, String message) implements Validated {
    }
}
