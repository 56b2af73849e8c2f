package io.rollcall.flink;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes each event of its series, folds it into the series' all-time {@link Aggregate} (keyed
 * state in rollcall's store encoding) and emits the new aggregate; the decoded event goes on to the
 * window operator through {@link #EVENTS}, so each event is decoded once.
 */
final class AllTimeAggregator extends KeyedProcessFunction<Long, Tuple2<Long, byte[]>, Aggregate> {

    static final OutputTag<MetricEvent> EVENTS = new OutputTag<>("events", EncodedType.EVENT);
    static final String EVENTS_ACCUMULATOR = "events";
    static final String LAST_FOLDED_ACCUMULATOR = "last-folded-millis";

    private transient AvroSerde<MetricEvent> decoder;
    private transient ValueState<Aggregate> allTime;
    private transient LongCounter events;
    private transient LongMaximum lastFolded;

    @Override
    public void open(OpenContext context) {
        decoder = AvroSerde.metricEvent();
        allTime = getRuntimeContext().getState(new ValueStateDescriptor<>("all-time", EncodedType.AGGREGATE));
        events = getRuntimeContext().getLongCounter(EVENTS_ACCUMULATOR);
        lastFolded = new LongMaximum();
        getRuntimeContext().addAccumulator(LAST_FOLDED_ACCUMULATOR, lastFolded);
    }

    @Override
    public void processElement(Tuple2<Long, byte[]> reading, Context context, Collector<Aggregate> out)
            throws Exception {
        MetricEvent event = decoder.deserialize(reading.f1);
        Aggregate old = allTime.value();
        Aggregate updated = (old == null ? Aggregate.empty() : old).add(event);
        allTime.update(updated);
        out.collect(updated);
        context.output(EVENTS, event);
        events.add(1);
        lastFolded.add(System.currentTimeMillis());
    }
}
