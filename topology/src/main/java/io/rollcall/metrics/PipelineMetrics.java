package io.rollcall.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rollcall.schema.BadRecordException.Reason;
import io.rollcall.schema.avro.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * rollcall's own meters of the data it processes and serves: what the processors count
 * (events aggregated, dead-lettered, late; verdicts, held windows, the judge's delay and the
 * decision of each rollout judged here) and what the query layer counts (forwarded and stale
 * reads). Plain Micrometer meters, so they are on {@code /metrics} from start-up with every
 * known label value at 0, not only after Micrometer's periodic scan of Kafka's metrics.
 * Counts are per process, summed over its tasks; processing is exactly-once but counting
 * happens at process time, as Kafka's own sensors count, so a task that is retried after a
 * crash counts its replayed records again.
 */
public final class PipelineMetrics {

    /** How a read forwarded to another instance ended: the label of {@code rollcall_reads_forwarded_total}. */
    public enum Forwarded {
        OK, NOT_FOUND, UNAVAILABLE, ERROR;

        /** The outcome of an answer with HTTP status {@code status}. */
        public static Forwarded of(int status) {
            if (status >= 200 && status < 300) {
                return OK;
            }
            return switch (status) {
                case 404 -> NOT_FOUND;
                case 503 -> UNAVAILABLE;
                default -> ERROR;
            };
        }
    }

    /** Why a window was judged HOLD: the label of {@code rollcall_rollout_windows_held_total}. */
    public enum Held {
        NO_TRAFFIC, TOO_LITTLE_DATA
    }

    private static final Duration JUDGE_DELAY_MIN = Duration.ofMillis(100);
    private static final Duration JUDGE_DELAY_MAX = Duration.ofMinutes(10);
    private static final double[] LAG_BUCKETS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private final MeterRegistry registry;
    private final Counter aggregated;
    private final Map<Reason, Counter> deadLettered = new EnumMap<>(Reason.class);
    private final Counter lateEvents;
    private final Counter lateSamples;
    private final Timer judgeDelay;
    private final Map<Forwarded, Counter> forwarded = new EnumMap<>(Forwarded.class);
    private final Counter staleReads;
    private final DistributionSummary staleLag;
    private final ConcurrentMap<String, ServiceMeters> services = new ConcurrentHashMap<>();
    private final ConcurrentMap<Rollout, Shown> decisions = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        aggregated = Counter.builder("rollcall.events.aggregated")
                .description("Valid events folded into the all-time aggregates")
                .register(registry);
        for (Reason reason : Reason.values()) {
            deadLettered.put(reason, Counter.builder("rollcall.events.dead.lettered")
                    .description("Records sent to the dead-letter topic, by reason")
                    .tag("reason", label(reason.code()))
                    .register(registry));
        }
        lateEvents = Counter.builder("rollcall.events.late")
                .description("Events after their window closed: counted in the all-time aggregate only")
                .register(registry);
        lateSamples = Counter.builder("rollcall.rollout.samples.late")
                .description("Rollout samples that arrived after their window was judged (dropped)")
                .register(registry);
        judgeDelay = Timer.builder("rollcall.rollout.judge.delay")
                .description("Wall-clock time from the end of an analysis window to its verdict being published")
                .publishPercentileHistogram()
                .minimumExpectedValue(JUDGE_DELAY_MIN)
                .maximumExpectedValue(JUDGE_DELAY_MAX)
                .register(registry);
        for (Forwarded outcome : Forwarded.values()) {
            forwarded.put(outcome, Counter.builder("rollcall.reads.forwarded")
                    .description("Reads this instance forwarded to another instance, by outcome")
                    .tag("outcome", label(outcome.name()))
                    .register(registry));
        }
        staleReads = Counter.builder("rollcall.reads.stale")
                .description("Reads this instance answered from a standby or restoring replica (stale: true)")
                .register(registry);
        staleLag = DistributionSummary.builder("rollcall.reads.stale.lag")
                .description("Changelog records behind of the replica that answered a stale read")
                .baseUnit("records")
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry);
    }

    /** Meters that go nowhere: for tests and tools that build the topology without serving it. */
    public static PipelineMetrics unregistered() {
        return new PipelineMetrics(new SimpleMeterRegistry());
    }

    public void aggregated() {
        aggregated.increment();
    }

    public void deadLettered(Reason reason) {
        deadLettered.get(reason).increment();
    }

    public void lateEvent() {
        lateEvents.increment();
    }

    public void lateSample() {
        lateSamples.increment();
    }

    /** Registers {@code service}'s verdict and hold counters at 0, so the first verdict is an increase. */
    public void judging(String service) {
        meters(service);
    }

    /** A verdict published for {@code service}; {@code held} is why, when it is HOLD. */
    public void verdict(String service, Decision decision, Held held) {
        ServiceMeters meters = meters(service);
        meters.verdicts.get(decision).increment();
        if (decision == Decision.HOLD) {
            meters.held.get(held).increment();
        }
    }

    /** A window's verdict published {@code delay} after the window's end. */
    public void judgeDelay(Duration delay) {
        judgeDelay.record(delay);
    }

    /**
     * {@code decision} is the latest of {@code rollout}: {@code rollcall_rollout_decision} is 1
     * for it and 0 for the other decisions until {@link #forget} removes the rollout's series.
     */
    public void decided(String service, String rollout, Decision decision) {
        decisions.computeIfAbsent(new Rollout(service, rollout), this::show).latest.set(decision);
    }

    /** Removes {@code rollout}'s decision series (its judge moved away, or the rollout was removed). */
    public void forget(String service, String rollout) {
        Shown shown = decisions.remove(new Rollout(service, rollout));
        if (shown != null) {
            shown.gauges.forEach(registry::remove);
        }
    }

    public void forwarded(Forwarded outcome) {
        forwarded.get(outcome).increment();
    }

    /** A read answered from a replica that is behind; a negative lag is unknown and counted only. */
    public void staleRead(long lagRecords) {
        staleReads.increment();
        if (lagRecords >= 0) {
            staleLag.record(lagRecords);
        }
    }

    private ServiceMeters meters(String service) {
        return services.computeIfAbsent(service, this::register);
    }

    private ServiceMeters register(String service) {
        Map<Decision, Counter> verdicts = new EnumMap<>(Decision.class);
        for (Decision decision : Decision.values()) {
            verdicts.put(decision, Counter.builder("rollcall.rollout.verdicts")
                    .description("Verdicts published, by service and decision")
                    .tags("service", service, "decision", label(decision.name()))
                    .register(registry));
        }
        Map<Held, Counter> held = new EnumMap<>(Held.class);
        for (Held reason : Held.values()) {
            held.put(reason, Counter.builder("rollcall.rollout.windows.held")
                    .description("Windows judged HOLD for lack of traffic, by service and reason")
                    .tags("service", service, "reason", label(reason.name()))
                    .register(registry));
        }
        return new ServiceMeters(verdicts, held);
    }

    private Shown show(Rollout rollout) {
        AtomicReference<Decision> latest = new AtomicReference<>();
        List<Meter> gauges = new ArrayList<>();
        for (Decision decision : Decision.values()) {
            gauges.add(Gauge.builder("rollcall.rollout.decision", latest, l -> l.get() == decision ? 1 : 0)
                    .description("1 for the latest decision of each rollout judged here, 0 for the others")
                    .tags("service", rollout.service(), "rollout", rollout.id(), "decision", label(decision.name()))
                    .strongReference(true)
                    .register(registry));
        }
        return new Shown(latest, gauges);
    }

    /** Label values are lower case with underscores, as Prometheus labels usually are. */
    private static String label(String value) {
        return value.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private record ServiceMeters(Map<Decision, Counter> verdicts, Map<Held, Counter> held) {
    }

    private record Rollout(String service, String id) {
    }

    private record Shown(AtomicReference<Decision> latest, List<Meter> gauges) {
    }
}
