package io.rollcall.bench.quality;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

/**
 * Verdict quality: a seeded corpus of rollouts — healthy, slower, failing, quiet, bursty,
 * oddly shaped — judged by rollcall's real topology and, on the very same requests, by two
 * reference judges (point estimates as Argo Rollouts or Flagger compare them, and Kayenta's
 * Mann-Whitney U); prints how each ended its rollouts and which targets each met.
 *
 * <p>Rollouts are judged in batches side by side in one topology; each of {@code threads}
 * lanes owns a topology and takes the next batch, so the figures do not depend on the lanes.
 */
public final class VerdictQualityBenchmark {

    /** Kayenta's default significance. */
    public static final double ALPHA = 0.05;

    /**
     * @param perScenario rollouts per scenario (the healthy one runs {@value Scenarios#HEALTHY_MULTIPLE} × as many)
     * @param cap         windows after which an undecided rollout counts as held
     * @param batch       rollouts judged side by side in one topology
     * @param threads     topologies judging at once
     */
    public record Settings(long seed, int perScenario, int cap, int batch, int threads) {
        public static final int DEFAULT_CAP = 20;
        public static final int DEFAULT_BATCH = 100;

        public Settings(long seed, int perScenario) {
            this(seed, perScenario, DEFAULT_CAP, DEFAULT_BATCH, Runtime.getRuntime().availableProcessors());
        }
    }

    private record Batch(int scenario, int first, int count) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final QualitySpec spec = QualitySpec.standard();
    private final List<WindowJudge> references = List.of(new PointEstimateJudge(spec), new MannWhitneyJudge(spec, ALPHA));

    public VerdictQualityBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs {@code scenarios}, prints each scenario's rows as it completes, then the tables, and returns them. */
    public List<Report.Row> run(List<Scenario> scenarios) throws InterruptedException {
        long started = System.nanoTime();
        ScenarioGenerator generator = new ScenarioGenerator(settings.seed(), spec.windowMs());
        out.printf("verdict quality: seed %d; spec p%.0f <= baseline +%.0f %%, errors <= %.0f %%, %d s windows, "
                        + "min samples %d, failure limit %d, success windows %d; cap %d windows; %d lanes; "
                        + "one pass (cold JVM)%n",
                settings.seed(), spec.quantile() * 100, spec.maxLatencyIncrease() * 100, spec.maxErrorRate() * 100,
                spec.windowMs() / 1000, spec.minSamples(), spec.failureLimit(), spec.successWindows(), settings.cap(),
                settings.threads());
        Queue<Batch> batches = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray pending = new AtomicIntegerArray(scenarios.size());
        List<List<Ending>[]> endings = new ArrayList<>();
        for (int s = 0; s < scenarios.size(); s++) {
            int rollouts = scenarios.get(s).rollouts();
            int count = (rollouts + settings.batch() - 1) / settings.batch();
            @SuppressWarnings("unchecked")
            List<Ending>[] slots = new List[count];
            endings.add(slots);
            pending.set(s, count);
            for (int b = 0; b < count; b++) {
                batches.add(new Batch(s, b * settings.batch(), Math.min(settings.batch(), rollouts - b * settings.batch())));
            }
        }
        Report.Row[] rows = new Report.Row[scenarios.size()];
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        long requests = 0;
        try {
            List<Future<Long>> lanes = new ArrayList<>();
            for (int t = 0; t < settings.threads(); t++) {
                lanes.add(pool.submit(() -> {
                    try (TopologyJudge topology = new TopologyJudge()) {
                        for (Batch batch = batches.poll(); batch != null; batch = batches.poll()) {
                            Scenario scenario = scenarios.get(batch.scenario());
                            endings.get(batch.scenario())[batch.first() / settings.batch()] =
                                    topology.run(scenario, batch.first(), batch.count(), generator, settings.cap());
                            if (pending.decrementAndGet(batch.scenario()) == 0) {
                                rows[batch.scenario()] = row(scenario, endings.get(batch.scenario()), generator);
                                synchronized (out) {
                                    Report.rows(rows[batch.scenario()], out);
                                }
                            }
                        }
                        return topology.requests();
                    }
                }));
            }
            for (Future<Long> lane : lanes) {
                requests += lane.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a lane failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int rollouts = scenarios.stream().mapToInt(Scenario::rollouts).sum();
        List<Report.Row> all = List.of(rows);
        out.println();
        Report.outcomes(all, settings.cap(), out);
        out.println();
        Report.targets(all, out);
        out.println();
        ceilings(scenarios, generator);
        out.printf("seed %d: %,d rollouts in %.1f s, %.1f rollouts/s (all three judges); %,d requests through the "
                + "topology, %,.0f/s%n", settings.seed(), rollouts, seconds, rollouts / seconds, requests, requests / seconds);
        return all;
    }

    /** What no judge could beat on the error-rate scenarios with a 3-window target ({@link ErrorRateCeiling}). */
    private void ceilings(List<Scenario> scenarios, ScenarioGenerator generator) {
        double alpha = 1 - spec.confidence();
        for (Scenario scenario : scenarios) {
            for (Target target : scenario.targets()) {
                if (target instanceof Target.RolledBackWithin within) {
                    ErrorRateCeiling.within(scenario, spec, generator, within.windows(), alpha).ifPresent(ceiling ->
                            out.printf("%s: at most %.1f %% of these rollouts can be rolled back within %d windows by "
                                            + "any judge that rolls back a canary at %.0f %% errors in at most %.0f %% of "
                                            + "rollouts (the most powerful test: exact binomial, one look at the end of "
                                            + "window %d, all of α on this SLO)%n",
                                    scenario.name(), ceiling * 100, within.windows(),
                                    spec.maxErrorRate() * 100, alpha * 100, within.windows()));
                }
            }
        }
    }

    private Report.Row row(Scenario scenario, List<Ending>[] batches, ScenarioGenerator generator) {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        tallies.put("rollcall", new Tally(Arrays.stream(batches).flatMap(List::stream).toList()));
        for (WindowJudge judge : references) {
            tallies.put(judge.name(), new Tally(IntStream.range(0, scenario.rollouts())
                    .mapToObj(i -> WindowRule.run(judge, spec, settings.cap(), w -> generator.window(scenario, i, w)))
                    .toList()));
        }
        return new Report.Row(scenario, tallies);
    }
}
