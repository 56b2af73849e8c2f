package io.rollcall.bench;

import io.rollcall.load.LoadGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Measures the steps of the scale benchmark alike: once a second it asks the instances what the
 * step waits for, and it reads the lag the {@link LagProbe} sampled, until the step settled (what
 * it waits for seen, and the lag under the bound for {@link #QUIET}) or its time limit passed.
 * It also keeps the reader's list of serving instances, as a load balancer would.
 */
final class StepMeasure {

    /** How long the lag must stay under the bound, or not grow, before it counts. */
    static final Duration QUIET = Duration.ofSeconds(10);
    /** The lag bound, in seconds of input at the rate. */
    static final int BOUND_SECONDS = 5;

    private final Fleet fleet;
    private final LagProbe lag;
    private final ReadProbe reader;
    private final LoadGenerator input;
    private final int partitions;
    private final long rate;
    private final List<ServeProcess> serving = new ArrayList<>();

    StepMeasure(Fleet fleet, LagProbe lag, ReadProbe reader, LoadGenerator input, int partitions, long rate) {
        this.fleet = fleet;
        this.lag = lag;
        this.reader = reader;
        this.input = input;
        this.partitions = partitions;
        this.rate = rate;
    }

    /** Lag, in records, under which a step counts as caught up: {@link #BOUND_SECONDS} of input. */
    long bound() {
        return rate * BOUND_SECONDS;
    }

    /** Growth, in records, that {@link LagTrend#stoppedGrowing} tolerates within {@link #QUIET}: 1 s of input. */
    long tolerance() {
        return rate;
    }

    void serve(ServeProcess instance) {
        serving.add(instance);
        reader.serving(serving);
    }

    void stopServing(ServeProcess instance) {
        serving.remove(instance);
        reader.serving(serving);
    }

    /** Reads that ended before now are not the next step's. */
    void discardReads() {
        reader.drain();
    }

    Step measure(String name, long start, Awaited awaited, Duration limit) throws InterruptedException {
        long ready = awaited instanceof Awaited.Joining ? Step.NOT_SEEN : Step.NOT_ASKED;
        long active = awaited instanceof Awaited.Nothing ? Step.NOT_ASKED : Step.NOT_SEEN;
        long sentBefore = input.sent();
        double restoringSeconds = 0;
        long restored = awaited instanceof Awaited.Joining ? 0 : Step.NOT_ASKED;
        boolean settled = false;
        while (!settled && System.nanoTime() - start < limit.toNanos()) {
            TimeUnit.SECONDS.sleep(1);
            fleet.checkAlive();
            if (awaited instanceof Awaited.Joining joining) {
                if (ready == Step.NOT_SEEN && Fleet.ready(joining.instance())) {
                    ready = since(start);
                    serve(joining.instance());
                }
                if (active == Step.NOT_SEEN && Fleet.active(joining.instance())) {
                    active = since(start);
                }
                Optional<Restoring> restoring = Fleet.restoring(joining.instance());
                if (restoring.isPresent()) {
                    restoringSeconds = restoring.get().seconds();
                    restored = restoring.get().restored();
                }
            } else if (awaited instanceof Awaited.Leaving leaving && active == Step.NOT_SEEN
                    && Fleet.activeOn(leaving.survivors().get(0), leaving.survivors()).size() == partitions) {
                active = since(start);
            }
            settled = !(awaited instanceof Awaited.Nothing) && ready != Step.NOT_SEEN && active != Step.NOT_SEEN
                    && LagTrend.underFor(lag.samples(), start, bound(), QUIET).isPresent();
        }
        long end = System.nanoTime();
        List<LagTrend.Sample> samples = lag.samples();
        LagTrend.Sample last = lag.latestSince(start);
        LagTrend.Sample first = LagTrend.at(samples, start).orElse(last);
        return new Step(name, ready, active,
                LagTrend.stoppedGrowing(samples, start, tolerance(), QUIET).map(s -> since(start, s.atNanos()))
                        .orElse(Step.NOT_SEEN),
                LagTrend.underFor(samples, start, bound(), QUIET).map(s -> since(start, s.atNanos()))
                        .orElse(Step.NOT_SEEN),
                first == null ? 0 : first.lag(), LagTrend.max(samples, start, end), last == null ? 0 : last.lag(),
                since(start, end), settled, (input.sent() - sentBefore) / ((end - start) / 1e9),
                first == null || last == null ? 0 : LagTrend.committedRate(first, last), restored,
                Math.round(restoringSeconds * 1000), ReadTally.of(reader.drain()));
    }

    private static long since(long start) {
        return since(start, System.nanoTime());
    }

    private static long since(long start, long at) {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, at - start));
    }
}
