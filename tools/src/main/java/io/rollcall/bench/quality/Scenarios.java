package io.rollcall.bench.quality;

import io.rollcall.bench.quality.LatencyShape.Bimodal;
import io.rollcall.bench.quality.LatencyShape.HeavyTailed;
import io.rollcall.bench.quality.LatencyShape.Lognormal;
import io.rollcall.bench.quality.Target.HeldThroughout;
import io.rollcall.bench.quality.Target.NeverPromoted;
import io.rollcall.bench.quality.Target.NoRollback;
import io.rollcall.bench.quality.Target.RolledBackWithin;
import io.rollcall.bench.quality.Traffic.Bursty;
import io.rollcall.bench.quality.Traffic.Diurnal;
import io.rollcall.bench.quality.Traffic.Steady;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The scenario corpus of {@code rollcall bench verdicts}. */
public final class Scenarios {

    /** Requests per role and window in steady traffic. */
    public static final int REQUESTS = 500;
    /** The baseline's error rate, a fifth of the SLO's 1 %. */
    public static final double BASELINE_ERROR_RATE = 0.002;
    /** The healthy scenario runs this many times as many rollouts as each other one. */
    public static final int HEALTHY_MULTIPLE = 5;
    /** The healthy rollouts that the no-false-rollback target needs. */
    public static final int HEALTHY_TARGET = 1_000;

    static final Lognormal LOGNORMAL = new Lognormal(100, 0.5);
    static final HeavyTailed HEAVY_TAILED = new HeavyTailed(new Lognormal(100, 0.4), 0.08, 250, 1.5);
    static final Bimodal BIMODAL = new Bimodal(new Lognormal(40, 0.3), new Lognormal(400, 0.3), 0.1);

    private Scenarios() {
    }

    /** Every scenario, {@code perScenario} rollouts each ({@value #HEALTHY_MULTIPLE} × as many healthy). */
    public static List<Scenario> corpus(int perScenario) {
        Steady steady = new Steady(REQUESTS);
        double slo = QualitySpec.standard().maxErrorRate();
        List<Target> none = List.of();
        List<Target> regression = List.of(new NeverPromoted());
        List<Target> clear = List.of(new NeverPromoted(), new RolledBackWithin(0.95, 3));
        List<Target> severe = List.of(new NeverPromoted(), new RolledBackWithin(1, 2));
        List<Target> noData = List.of(new HeldThroughout());
        List<Scenario> all = new ArrayList<>();
        all.add(healthy("healthy", perScenario * HEALTHY_MULTIPLE, steady, LOGNORMAL,
                List.of(new NoRollback(HEALTHY_TARGET))));
        all.add(latency("latency x1.1", perScenario, steady, LOGNORMAL, 1.1, none));
        all.add(latency("latency x1.25", perScenario, steady, LOGNORMAL, 1.25, clear));
        all.add(latency("latency x1.5", perScenario, steady, LOGNORMAL, 1.5, severe));
        all.add(latency("latency x2", perScenario, steady, LOGNORMAL, 2, regression));
        all.add(errors("errors 1.5 %", perScenario, 1.5 * slo, regression));
        all.add(errors("errors 2 %", perScenario, 2 * slo, clear));
        all.add(errors("errors 5 %", perScenario, 5 * slo, severe));
        all.add(healthy("low traffic (30/window)", perScenario, new Steady(30), LOGNORMAL, noData));
        all.add(healthy("no traffic", perScenario, new Steady(0), LOGNORMAL, noData));
        all.add(healthy("healthy, bursty", perScenario, new Bursty(REQUESTS), LOGNORMAL, none));
        all.add(healthy("healthy, diurnal", perScenario, new Diurnal(REQUESTS, 12), LOGNORMAL, none));
        all.add(healthy("healthy, heavy-tailed", perScenario, steady, HEAVY_TAILED, none));
        all.add(latency("latency x1.25, heavy-tailed", perScenario, steady, HEAVY_TAILED, 1.25, regression));
        all.add(healthy("healthy, bimodal", perScenario, steady, BIMODAL, none));
        all.add(latency("latency x1.25, bimodal", perScenario, steady, BIMODAL, 1.25, regression));
        return List.copyOf(all);
    }

    /** The scenarios of {@link #corpus} with these names, in corpus order; all of them when {@code names} is empty. */
    public static List<Scenario> select(int perScenario, List<String> names) {
        List<Scenario> corpus = corpus(perScenario);
        List<String> known = corpus.stream().map(Scenario::name).toList();
        List<String> unknown = names.stream().filter(name -> !known.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown scenario " + quoted(unknown) + "; the scenarios are " + quoted(known));
        }
        return names.isEmpty() ? corpus : corpus.stream().filter(s -> names.contains(s.name())).toList();
    }

    private static String quoted(List<String> names) {
        return names.stream().map(name -> '"' + name + '"').collect(Collectors.joining(", "));
    }

    private static Scenario healthy(String name, int rollouts, Traffic traffic, LatencyShape shape, List<Target> targets) {
        return new Scenario(name, rollouts, traffic, shape, 1, BASELINE_ERROR_RATE, targets);
    }

    private static Scenario latency(String name, int rollouts, Traffic traffic, LatencyShape shape, double slowdown,
                                    List<Target> targets) {
        return new Scenario(name, rollouts, traffic, shape, slowdown, BASELINE_ERROR_RATE, targets);
    }

    private static Scenario errors(String name, int rollouts, double errorRate, List<Target> targets) {
        return new Scenario(name, rollouts, new Steady(REQUESTS), LOGNORMAL, 1, errorRate, targets);
    }
}
