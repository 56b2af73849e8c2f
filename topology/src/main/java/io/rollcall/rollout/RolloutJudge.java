package io.rollcall.rollout;

import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.schema.avro.SloResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import io.rollcall.log.LogContext;
import io.rollcall.schema.KeyPartitioner;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges rollouts: one task owns each service (samples arrive keyed by service), keeps a
 * {@link JudgeState} per service in a state store, and publishes one verdict per closed
 * analysis window — or a ROLLBACK at once when the evidence, the open window's included, is
 * already conclusive ({@link Judgement}).
 *
 * <p>Windows are aligned to the spec's {@code startedAt} and close on event time: once the
 * stream has passed a window's end plus {@code grace} on every partition of the events topic
 * ({@link SourceProgress}, fed by the samplers' {@link Progress}), so samples held up behind
 * a lagging partition still count. A quiet partition's event time follows the wall clock
 * ({@link PartitionProgress}), so a rollout with no traffic at all still gets its HOLD verdicts.
 * Every closed window gets its verdict before any later one, an early ROLLBACK included.
 * Verdict, state and input offsets commit in one transaction (exactly-once), so a crash can
 * neither lose a terminal verdict nor publish a second one; a rollout id that ended is
 * remembered and never judged again.
 */
public final class RolloutJudge implements Processor<String, Sampled, String, RolloutVerdict> {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutJudge.class);

    /** Samples further ahead of the wall clock's window than this many windows are dropped (clock skew). */
    static final int MAX_WINDOWS_AHEAD = 3;

    /** Shortest interval between spec refreshes caused by samples of an unknown rollout. */
    static final long REFRESH_ON_MISS_MS = 20;

    /** Windows closed per service per tick at most (catching up after downtime). */
    static final int MAX_CLOSED_PER_TICK = 1000;

    private final String specStore;
    private final String judgeStore;
    private final String historyStore;
    private final String progressStore;
    private final int partitions;
    private final Duration grace;
    private final Duration tick;
    private final int history;
    private ProcessorContext<String, RolloutVerdict> context;
    private KeyValueStore<String, JudgeState> judges;
    private KeyValueStore<Bytes, RolloutVerdict> verdicts;
    private SpecCache specs;
    private SourceProgress progress;
    private final PipelineMetrics metrics;
    /** Rollout shown in {@code rollcall_rollout_decision} by this task, by service. */
    private final Map<String, String> shown = new HashMap<>();

    /** @param partitions partition count of the events topic, and so of the samples topic */
    public RolloutJudge(String specStore, String judgeStore, String historyStore, String progressStore,
                        int partitions, Duration grace, Duration tick, int history, PipelineMetrics metrics) {
        this.specStore = specStore;
        this.judgeStore = judgeStore;
        this.historyStore = historyStore;
        this.progressStore = progressStore;
        this.partitions = partitions;
        this.grace = grace;
        this.tick = tick;
        this.history = history;
        this.metrics = metrics;
    }

    /**
     * Canary samples between two mid-window looks at the evidence. The sequential test stays
     * valid however often it is looked at; looking every 32nd sample keeps the judge's cost
     * per sample small and delays a rollback by at most 32 requests.
     */
    public static final int EARLY_EVERY = 32;

    /** The partition of the samples topic, and so the task, that judges {@code service}. */
    private static int partitionOf(String service, int partitions) {
        return KeyPartitioner.partition(service.getBytes(StandardCharsets.UTF_8), partitions);
    }

    @Override
    public void init(ProcessorContext<String, RolloutVerdict> context) {
        this.context = context;
        this.judges = context.getStateStore(judgeStore);
        this.verdicts = context.getStateStore(historyStore);
        this.specs = new SpecCache(context.getStateStore(specStore));
        this.progress = new SourceProgress(context.getStateStore(progressStore), partitions);
        showLatestDecisions();
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    /**
     * The latest decision of each rollout this task judges, from its stores, so that a task
     * that moved here (or restarted) shows its rollouts before their next verdicts.
     */
    private void showLatestDecisions() {
        try (KeyValueIterator<String, JudgeState> all = judges.all()) {
            while (all.hasNext()) {
                KeyValue<String, JudgeState> entry = all.next();
                JudgeState state = entry.value;
                if (state.rolloutId() == null || state.verdicts() == 0) {
                    continue;
                }
                RolloutVerdict last = verdicts.get(historyKey(entry.key, state.verdicts() - 1));
                if (last != null && last.getRolloutId().equals(state.rolloutId())) {
                    show(entry.key, state.rolloutId(), last.getDecision());
                }
            }
        }
    }

    /** The task moves away or stops: another instance's task shows these rollouts from now on. */
    @Override
    public void close() {
        shown.forEach(metrics::forget);
        shown.clear();
    }

    private void show(String service, String rolloutId, Decision decision) {
        String before = shown.put(service, rolloutId);
        if (before != null && !before.equals(rolloutId)) {
            metrics.forget(service, before);
        }
        metrics.decided(service, rolloutId, decision);
    }

    /** The rollout's spec was removed or replaced: its decision is no longer shown. */
    private void unshow(String service) {
        String before = shown.remove(service);
        if (before != null) {
            metrics.forget(service, before);
        }
    }

    @Override
    public void process(Record<String, Sampled> record) {
        if (record.value() instanceof Progress reached) {
            progress.advance(reached);
        } else if (record.value() instanceof Sample sample) {
            judge(record.key(), sample);
        }
    }

    private void judge(String service, Sample sample) {
        RolloutSpec spec = specs.get(service);
        if (spec == null || !spec.getRolloutId().equals(sample.rolloutId())) {
            // A spec newer than the last tick? (bounded: samples of a removed rollout may keep coming)
            specs.refreshIfOlder(REFRESH_ON_MISS_MS, context.currentSystemTimeMs());
            spec = specs.get(service);
            if (spec == null || !spec.getRolloutId().equals(sample.rolloutId())) {
                return;
            }
        }
        JudgeState state = current(service, spec);
        if (state == null || state.terminal() != null) {
            return;
        }
        long offset = sample.timestamp() - spec.getStartedAt().toEpochMilli();
        if (offset < 0) {
            return;
        }
        long index = offset / spec.getAnalysisWindow();
        if (index < state.nextWindow()) {
            metrics.lateSample();
            judges.put(service, state.withLate());
            return;
        }
        // Against the wall clock, not the next window to close: a lagging partition may hold many windows open.
        long wallClockWindow = Math.floorDiv(context.currentSystemTimeMs() - spec.getStartedAt().toEpochMilli(),
                spec.getAnalysisWindow());
        if (index > wallClockWindow + MAX_WINDOWS_AHEAD) {
            return;
        }
        state = state.withSample((int) index, sample);
        // Windows that closed since the last tick are judged first: one verdict per closed window, in order,
        // even when this sample ends the rollout (it may also fall in one of them).
        state = closeDue(spec, state);
        if (state.terminal() != null || index < state.nextWindow()) {
            judges.put(service, state);
            return;
        }
        WindowStats open = state.window((int) index);
        if (sample.role() == Role.CANARY && open.canary().count() % EARLY_EVERY == 0
                && Judgement.conclusive(spec, open, state.evidence())) {
            Judgement.Result early = Judgement.judge(spec, open, state.evidence());
            Optional<Closing> rollback = Closing.early(spec, (int) index, state.failing(), early);
            if (rollback.isPresent()) {
                Closing closing = rollback.get();
                publish(spec, state, (int) index, closing.decision(), true, state.passing(), closing.failing(),
                        early.slos(), closing.reason());
                metrics.verdict(service, closing.decision(), null);
                judges.put(service, state.endedEarly(closing.failing(), closing.decision()));
                return;
            }
        }
        judges.put(service, state);
    }

    /** The state of {@code service} for {@code spec}'s rollout: started if new, null if that rollout already ended. */
    private JudgeState current(String service, RolloutSpec spec) {
        JudgeState state = judges.get(service);
        if (state == null) {
            state = JudgeState.none();
        }
        if (spec.getRolloutId().equals(state.rolloutId())) {
            return state;
        }
        if (state.hasEnded(spec.getRolloutId())) {
            return null;
        }
        return state.start(spec.getRolloutId());
    }

    private void onTick(long now) {
        specs.refresh();
        int partition = context.taskId().partition();
        // Rollouts removed or replaced: forget their open windows (ended ids stay remembered).
        List<KeyValue<String, JudgeState>> stale = new ArrayList<>();
        try (KeyValueIterator<String, JudgeState> all = judges.all()) {
            while (all.hasNext()) {
                KeyValue<String, JudgeState> entry = all.next();
                RolloutSpec spec = specs.get(entry.key);
                if (entry.value.rolloutId() != null
                        && (spec == null || !spec.getRolloutId().equals(entry.value.rolloutId()))) {
                    stale.add(entry);
                }
            }
        }
        for (KeyValue<String, JudgeState> entry : stale) {
            judges.put(entry.key, entry.value.stop());
            unshow(entry.key);
        }
        for (Map.Entry<String, RolloutSpec> entry : specs.all().entrySet()) {
            if (partitionOf(entry.getKey(), partitions) == partition) {
                metrics.judging(entry.getKey());
                closeWindows(entry.getKey(), entry.getValue());
            }
        }
    }

    private void closeWindows(String service, RolloutSpec spec) {
        JudgeState state = current(service, spec);
        if (state == null || state.terminal() != null) {
            return;
        }
        JudgeState closed = closeDue(spec, state);
        if (closed != state) {
            judges.put(service, closed);
        }
    }

    /** Judges, in order, the windows the stream has passed (end plus grace) on every partition of the events topic. */
    private JudgeState closeDue(RolloutSpec spec, JudgeState state) {
        long reached = progress.reached();
        for (int closed = 0; closed < MAX_CLOSED_PER_TICK && state.terminal() == null; closed++) {
            if (WindowCloses.closesAt(spec, state.nextWindow(), grace.toMillis()) > reached) {
                break;
            }
            state = close(spec, state);
        }
        return state;
    }

    private JudgeState close(RolloutSpec spec, JudgeState state) {
        int index = state.nextWindow();
        WindowStats stats = state.window(index);
        Judgement.Result result = Judgement.judge(spec, stats, state.evidence());
        Closing closing = Closing.of(spec, index, state.passing(), state.failing(), stats, result);
        publish(spec, state, index, closing.decision(), false, closing.passing(), closing.failing(), result.slos(),
                closing.reason());
        metrics.verdict(spec.getService(), closing.decision(),
                stats.isEmpty() ? PipelineMetrics.Held.NO_TRAFFIC : PipelineMetrics.Held.TOO_LITTLE_DATA);
        return state.closed(closing.passing(), closing.failing(), closing.terminal() ? closing.decision() : null,
                result.evidence());
    }

    private void publish(RolloutSpec spec, JudgeState state, int index, Decision decision, boolean early, int passing,
                         int failing, List<SloResult> results, String reason) {
        long now = context.currentSystemTimeMs();
        long start = spec.getStartedAt().toEpochMilli() + index * spec.getAnalysisWindow();
        RolloutVerdict verdict = RolloutVerdict.newBuilder()
                .setRolloutId(spec.getRolloutId())
                .setService(spec.getService())
                .setDecision(decision)
                .setWindow(index)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(start + spec.getAnalysisWindow()))
                .setEarly(early)
                .setDecidedAt(Instant.ofEpochMilli(now))
                .setPassingWindows(passing)
                .setFailingWindows(failing)
                .setResults(results)
                .setReason(reason)
                .build();
        long sequence = state.verdicts();
        verdicts.put(historyKey(spec.getService(), sequence), verdict);
        if (sequence >= history) {
            verdicts.delete(historyKey(spec.getService(), sequence - history));
        }
        context.forward(new Record<>(spec.getService(), verdict, now));
        show(spec.getService(), spec.getRolloutId(), decision);
        if (!early) {
            metrics.judgeDelay(Duration.ofMillis(now - verdict.getWindowEnd().toEpochMilli()));
        }
        log(verdict);
    }

    /** The end of a rollout at INFO; every other verdict at DEBUG, one per window and rollout. */
    private void log(RolloutVerdict verdict) {
        boolean terminal = verdict.getDecision() == Decision.PROMOTE || verdict.getDecision() == Decision.ROLLBACK;
        if (terminal ? LOG.isInfoEnabled() : LOG.isDebugEnabled()) {
            try (LogContext ignored = LogContext.rollout(verdict.getRolloutId(), verdict.getService())
                    .with(LogContext.TASK, context.taskId())) {
                String line = "rollout {} of {}: {} after window {} ({} passing, {} failing){}: {}";
                Object[] args = {verdict.getRolloutId(), verdict.getService(), verdict.getDecision(),
                        verdict.getWindow(), verdict.getPassingWindows(), verdict.getFailingWindows(),
                        verdict.getEarly() ? ", early" : "", verdict.getReason()};
                if (terminal) {
                    LOG.info(line, args);
                } else {
                    LOG.debug(line, args);
                }
            }
        }
    }

    /** Key of a service's n-th verdict in the history store: service, a 0 byte, n as 8 big-endian bytes. */
    public static Bytes historyKey(String service, long sequence) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(name.length + 9).put(name).put((byte) 0).putLong(sequence).array());
    }
}
