package io.rollcall.flink;

import io.rollcall.aggregate.Aggregate;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** A closed window's aggregate with the window's start, for its record key. */
final class WindowStart extends ProcessWindowFunction<Aggregate, Tuple2<Long, Aggregate>, Long, TimeWindow> {

    @Override
    public void process(Long id, Context context, Iterable<Aggregate> aggregates, Collector<Tuple2<Long, Aggregate>> out) {
        for (Aggregate aggregate : aggregates) {
            out.collect(Tuple2.of(context.window().getStart(), aggregate));
        }
    }
}
