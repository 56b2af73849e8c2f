package io.rollcall.topology;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.log.LogContext;
import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.store.FlushForwarding;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each event of a series into its all-time aggregate and into its tumbling window,
 * with the semantics of the DSL's {@code aggregate} (timestamps: the larger of the old and
 * the record's; a window closes at the largest timestamp seen − grace, and later events for it are dropped
 * and counted). The all-time store forwards each changed aggregate when it is flushed, at
 * most once per series per commit, as the DSL's cache does.
 */
final class SeriesAggregator implements Processor<byte[], MetricEvent, byte[], Aggregate> {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesAggregator.class);

    private final long windowSizeMs;
    private final long graceMs;
    private ProcessorContext<byte[], Aggregate> context;
    private TimestampedKeyValueStore<byte[], Aggregate> allTime;
    private TimestampedWindowStore<byte[], Aggregate> windows;
    private final PipelineMetrics metrics;
    /** Largest timestamp this processor has seen, as the DSL's window aggregation keeps it. */
    private long observedStreamTime = Long.MIN_VALUE;

    SeriesAggregator(Duration windowSize, Duration grace, PipelineMetrics metrics) {
        this.windowSizeMs = windowSize.toMillis();
        this.graceMs = grace.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Aggregate> context) {
        this.context = context;
        allTime = context.getStateStore(StoreNames.ALL_TIME);
        windows = context.getStateStore(StoreNames.WINDOWED);
        FlushForwarding.forwardFlushes(context, allTime);
    }

    @Override
    public void process(Record<byte[], MetricEvent> record) {
        byte[] key = record.key();
        MetricEvent event = record.value();
        long timestamp = record.timestamp();

        ValueAndTimestamp<Aggregate> old = allTime.get(key);
        allTime.put(key, updated(old, event, timestamp));
        metrics.aggregated();

        long windowStart = timestamp - Math.floorMod(timestamp, windowSizeMs);
        // Not the task's stream time: records that never reach this processor (dead letters,
        // with timestamps far ahead) would close windows that the DSL keeps open.
        observedStreamTime = Math.max(observedStreamTime, timestamp);
        long closesAt = observedStreamTime - graceMs;
        if (windowStart + windowSizeMs > closesAt) {
            windows.put(key, updated(windows.fetch(key, windowStart), event, timestamp), windowStart);
        } else {
            metrics.lateEvent();
            if (LOG.isDebugEnabled()) {
                SeriesId series = SeriesId.of(event.getId());
                try (LogContext ignored = LogContext.series(series).with(LogContext.TASK, context.taskId())) {
                    LOG.debug("event for series {} at {} is after its window [{}, {}) closed (stream time {}, "
                            + "grace {} ms)", series, timestamp, windowStart, windowStart + windowSizeMs,
                            observedStreamTime, graceMs);
                }
            }
        }
    }

    private static ValueAndTimestamp<Aggregate> updated(ValueAndTimestamp<Aggregate> old, MetricEvent event,
                                                        long timestamp) {
        return old == null
                ? ValueAndTimestamp.make(Aggregate.empty().add(event), timestamp)
                : ValueAndTimestamp.make(old.value().add(event), Math.max(old.timestamp(), timestamp));
    }
}
