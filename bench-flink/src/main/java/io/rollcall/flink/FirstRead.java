package io.rollcall.flink;

import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes records through (chained to the source, so no copy with object reuse) and notes the wall
 * clock of each subtask's first record in an accumulator: the job's time starts at the earliest.
 */
final class FirstRead<T> extends RichMapFunction<T, T> {

    static final String ACCUMULATOR = "first-read-millis";

    private transient LongMinimum firstRead;
    private transient boolean seen;

    @Override
    public void open(OpenContext context) {
        firstRead = new LongMinimum();
        getRuntimeContext().addAccumulator(ACCUMULATOR, firstRead);
    }

    @Override
    public T map(T value) {
        if (!seen) {
            seen = true;
            firstRead.add(System.currentTimeMillis());
        }
        return value;
    }
}
