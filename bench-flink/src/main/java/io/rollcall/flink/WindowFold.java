package io.rollcall.flink;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.avro.MetricEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/** A window's aggregate, with the same arithmetic as the all-time one ({@link Aggregate#add}). */
final class WindowFold implements AggregateFunction<MetricEvent, Aggregate, Aggregate> {

    @Override
    public Aggregate createAccumulator() {
        return Aggregate.empty();
    }

    @Override
    public Aggregate add(MetricEvent event, Aggregate accumulator) {
        return accumulator.add(event);
    }

    @Override
    public Aggregate getResult(Aggregate accumulator) {
        return accumulator;
    }

    @Override
    public Aggregate merge(Aggregate a, Aggregate b) {
        return a.merge(b);
    }
}
