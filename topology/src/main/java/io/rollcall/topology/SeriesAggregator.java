package io.rollcall.topology;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.log.LogContext;
import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.store.FlushForwarding;
import java.time.Duration;
import java.util.Optional;
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
 * and counted).
 *
 * <p>Both live in one value of the all-time store ({@link SeriesState}): the all-time aggregate
 * and the series' newest window. The store keeps it as an object until the commit, then writes
 * and logs it once and forwards the all-time aggregate, at most once per series per commit, as
 * the DSL's cache does. A window goes to the window store when the series moves on to a later
 * window; an event for an earlier window that is still open (out of order, within the grace)
 * updates the window store directly.
 *
 * <p>The first window a task starts after it is initialised is also written at once. Under
 * exactly-once, Kafka Streams discards a task's local state on restart when one of its
 * persistent logged stores has no committed changelog offset while the task's state directory
 * is not empty; a task that has only ever seen series in their first window would otherwise
 * have an all-time store with data and a window store that was never written, and a clean
 * restart would restore both from their changelogs.
 */
final class SeriesAggregator implements Processor<byte[], MetricEvent, byte[], Aggregate> {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesAggregator.class);

    private final long windowSizeMs;
    private final long graceMs;
    private ProcessorContext<byte[], Aggregate> context;
    private TimestampedKeyValueStore<byte[], SeriesState> states;
    private TimestampedWindowStore<byte[], Aggregate> windows;
    private final PipelineMetrics metrics;
    /** Largest timestamp this processor has seen, as the DSL's window aggregation keeps it. */
    private long observedStreamTime = Long.MIN_VALUE;
    /** Whether this task has written its window store since it was initialised. */
    private boolean windowWritten;

    SeriesAggregator(Duration windowSize, Duration grace, PipelineMetrics metrics) {
        this.windowSizeMs = windowSize.toMillis();
        this.graceMs = grace.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Aggregate> context) {
        this.context = context;
        states = context.getStateStore(StoreNames.ALL_TIME);
        windows = context.getStateStore(StoreNames.WINDOWED);
        windowWritten = false;
        FlushForwarding.forwardFlushes(context, states, SeriesState::allTime);
    }

    @Override
    public void process(Record<byte[], MetricEvent> record) {
        byte[] key = record.key();
        MetricEvent event = record.value();
        long timestamp = record.timestamp();

        ValueAndTimestamp<SeriesState> old = states.get(key);
        Aggregate allTime = (old == null ? Aggregate.empty() : old.value().allTime()).add(event);
        Optional<SeriesState.Window> newest = old == null ? Optional.empty() : old.value().newest();
        metrics.aggregated();

        long windowStart = timestamp - Math.floorMod(timestamp, windowSizeMs);
        // Not the task's stream time: records that never reach this processor (dead letters,
        // with timestamps far ahead) would close windows that the DSL keeps open.
        observedStreamTime = Math.max(observedStreamTime, timestamp);
        long closesAt = observedStreamTime - graceMs;
        if (windowStart + windowSizeMs > closesAt) {
            newest = addToWindow(key, newest, windowStart, event, timestamp);
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
        long allTimeTimestamp = old == null ? timestamp : Math.max(old.timestamp(), timestamp);
        states.put(key, ValueAndTimestamp.make(new SeriesState(allTime, newest), allTimeTimestamp));
    }

    /** The series' newest window once {@code event} is counted in the window starting at {@code start}. */
    private Optional<SeriesState.Window> addToWindow(byte[] key, Optional<SeriesState.Window> newest, long start,
                                                     MetricEvent event, long timestamp) {
        if (newest.isPresent() && newest.get().start() == start) {
            return Optional.of(newest.get().add(event, timestamp));
        }
        if (newest.isPresent() && newest.get().start() > start) {
            store(key, stored(key, start).add(event, timestamp));
            return newest;
        }
        newest.ifPresent(done -> store(key, done));
        // Start from the window store: it holds this window when a release that kept every window
        // there wrote it, before this series' state held its newest window.
        SeriesState.Window started = stored(key, start).add(event, timestamp);
        if (!windowWritten) {
            store(key, started);
        }
        return Optional.of(started);
    }

    /** The window starting at {@code start} as the window store holds it; empty when absent. */
    private SeriesState.Window stored(byte[] key, long start) {
        ValueAndTimestamp<Aggregate> stored = windows.fetch(key, start);
        return stored == null ? SeriesState.Window.empty(start)
                : new SeriesState.Window(start, stored.value(), stored.timestamp());
    }

    private void store(byte[] key, SeriesState.Window window) {
        windows.put(key, ValueAndTimestamp.make(window.aggregate(), window.timestamp()), window.start());
        windowWritten = true;
    }
}
