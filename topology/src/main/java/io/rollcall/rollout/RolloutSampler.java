package io.rollcall.rollout;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.avro.RolloutSpec;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Picks the events that a rollout judges — TIMERs of the spec's metric whose
 * {@code labels.service} has a rollout and whose {@code labels.revision} is its canary or
 * baseline, from {@code startedAt} on — and re-keys them by service as {@link Sample}s.
 *
 * <p>It also reports the {@link Progress} of its partition of the events topic (the event
 * time it has reached, see {@link PartitionProgress}) to every judge, which closes a window
 * only once every partition has passed it.
 */
public final class RolloutSampler implements Processor<byte[], MetricEvent, String, Sampled> {

    /** Key of progress records: never a service (services are not empty), and ignored by the partitioner. */
    static final String PROGRESS_KEY = "";

    private final String specStore;
    private final Duration tick;
    private final Duration idle;
    private final long graceMs;
    private ProcessorContext<String, Sampled> context;
    private SpecCache specs;
    private PartitionProgress progress;
    private long reported = Long.MIN_VALUE;

    public RolloutSampler(String specStore, Duration tick, Duration idle, Duration grace) {
        this.specStore = specStore;
        this.tick = tick;
        this.idle = idle;
        this.graceMs = grace.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Sampled> context) {
        this.context = context;
        this.specs = new SpecCache(context.getStateStore(specStore));
        this.progress = new PartitionProgress(idle.toMillis(), context.currentSystemTimeMs());
        int partition = context.taskId().partition();
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, now -> {
            specs.refresh();
            report(partition, now);
        });
    }

    /**
     * Reports the partition's progress when it has passed the close of some rollout's window
     * since the last report (and once on start): judges need no more, and reporting on every
     * tick would keep the samples topic busy, and never drained, for nothing.
     */
    private void report(int partition, long now) {
        long reached = progress.reached(now);
        if (reached <= reported || specs.isEmpty()) {
            return;
        }
        if (reported == Long.MIN_VALUE || WindowCloses.anyBetween(specs.all().values(), reported, reached, graceMs)) {
            reported = reached;
            context.forward(new Record<>(PROGRESS_KEY, new Progress(partition, reached), now));
        }
    }

    @Override
    public void process(Record<byte[], MetricEvent> record) {
        MetricEvent event = record.value();
        progress.saw(event.getTimestamp().toEpochMilli(), context.currentSystemTimeMs());
        if (specs.isEmpty()) {
            return;
        }
        if (event.getType() != MetricType.TIMER) {
            return;
        }
        Map<String, String> labels = event.getLabels();
        String service = labels.get("service");
        if (service == null) {
            return;
        }
        RolloutSpec spec = specs.get(service);
        if (spec == null || !spec.getMetric().equals(event.getName())) {
            return;
        }
        String revision = labels.get("revision");
        Role role = spec.getCanaryRevision().equals(revision) ? Role.CANARY
                : spec.getBaselineRevision().equals(revision) ? Role.BASELINE : null;
        long time = event.getTimestamp().toEpochMilli();
        if (role == null || time < spec.getStartedAt().toEpochMilli()) {
            return;
        }
        boolean error = event.getStatus() != null && event.getStatus() >= Aggregate.ERROR_STATUS;
        context.forward(new Record<>(service, new Sample(spec.getRolloutId(), role, event.getValue(), error, time),
                record.timestamp()));
    }
}
