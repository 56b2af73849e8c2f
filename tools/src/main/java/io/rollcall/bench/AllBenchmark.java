package io.rollcall.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * {@code rollcall bench all}: per workload, the pipeline against its ceiling, its in-memory peer
 * and the Streams DSL version on one preloaded topic, then query latency while ingesting at half the measured pipeline rate,
 * verdict latency and restore rate, each as its own benchmark prints it, and one summary of
 * the headline figures against the targets of this machine.
 */
public final class AllBenchmark {

    /**
     * Parameters; {@code overrides} apply to the pipeline under test, {@code loads} are the pipeline's workloads
     * and {@code series} the ids of the query and restore benchmarks.
     */
    public record Settings(String bootstrapServers, long events, List<PipelineBenchmark.Load> loads, int series,
                           int partitions, boolean warmup,
                           Map<String, String> overrides, Map<String, String> baseline, int querySeconds,
                           int rollouts, java.util.List<Integer> scaling) {
    }

    private final Settings settings;
    private final PrintStream out;

    public AllBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public void run() throws Exception {
        long started = System.nanoTime();
        out.printf("== 1/4 pipeline: %,d events per workload (%s), %d partitions%n", settings.events(),
                settings.loads().stream().map(PipelineBenchmark.Load::label).collect(Collectors.joining("; ")),
                settings.partitions());
        PipelineBenchmark.Summary pipeline = new PipelineBenchmark(new PipelineBenchmark.Settings(
                settings.bootstrapServers(), settings.events(), settings.loads(), settings.partitions(),
                settings.warmup(), settings.overrides(), settings.baseline(), settings.scaling()), out).run();

        long ingestRate = Math.round(pipeline.pipeline().rate() / 2);
        out.printf("%n== 2/4 queries at 2,000 requests/s, alone and while ingesting %,d events/s (half the pipeline "
                + "rate on %s)%n", ingestRate, pipeline.detailed().label());
        QueryBenchmark query = new QueryBenchmark(new QueryBenchmark.Settings(settings.bootstrapServers(),
                Math.min(settings.series(), 20_000), 2_000, QueryBenchmark.WARMUP,
                Duration.ofSeconds(settings.querySeconds()), ingestRate), out);
        query.run();

        out.printf("%n== 3/4 verdicts%n");
        double[] verdict = new VerdictBenchmark(new VerdictBenchmark.Settings(settings.bootstrapServers(),
                settings.rollouts(), Math.max(10, settings.rollouts() / 10), 10), out).run();

        out.printf("%n== 4/4 restore from the changelogs, %,d series%n", settings.series());
        double restoreRate = new RestoreBenchmark(new RestoreBenchmark.Settings(settings.bootstrapServers(),
                settings.series(), settings.partitions()), out).restore();

        Map<String, double[]> q = query.results();
        out.printf("%n== summary (%s JVM, %d cores, %.0f s in all)%n", settings.warmup() ? "warm" : "cold",
                Runtime.getRuntime().availableProcessors(), (System.nanoTime() - started) / 1e9);
        for (PipelineBenchmark.Load load : pipeline.loads()) {
            String named = load.label() + ": ";
            for (PipelineBenchmark.Engine engine : PipelineBenchmark.Engine.values()) {
                pipeline.row(load, engine).ifPresent(row -> row(named + engine.label(), "%,.0f events/s",
                        row.figures().rate(), ""));
            }
            for (PipelineBenchmark.Ratio ratio : PipelineBenchmark.RATIOS) {
                ratio.of(pipeline.rows(), load).ifPresent(value -> row(named + ratio.label(), "%.3f", value,
                        ratio.target().apply(load.spread())));
            }
            for (PipelineBenchmark.Engine engine : PipelineBenchmark.Engine.values()) {
                pipeline.row(load, engine).ifPresent(row -> row.wrongIds().ifPresent(wrong -> row(named
                        + engine.label() + ": ids wrong", "%,d", wrong, "0")));
            }
        }
        String detailed = pipeline.detailed().label() + ": ";
        if (pipeline.baseline() != null) {
            row(detailed + "the same with " + settings.baseline(), "%,.0f events/s", pipeline.baseline().rate(), "");
        }
        row("HTTP local p99, alone", "%.2f ms", get(q, "local hits"), "");
        row("HTTP local p99, ingesting", "%.2f ms", get(q, "local hits, ingesting"), "<= 2 ms");
        row("HTTP forwarded p99, ingesting", "%.2f ms", get(q, "forwarded hits, ingesting"), "");
        row("HTTP baseline /health/live p99", "%.2f ms", get(q, "baseline: GET /health/live"), "");
        for (boolean ingesting : new boolean[] {false, true}) {
            OptionalDouble[] ratios = query.forwardedOverLocal(ingesting);
            String[] percentiles = {"p50", "p99"};
            for (int i = 0; i < ratios.length; i++) {
                row("HTTP forwarded / local " + percentiles[i] + ", interleaved, " + (ingesting ? "ingesting" : "alone"),
                        "%.2f", ratios[i].orElse(Double.NaN), "<= " + QueryBenchmark.FORWARD_RATIO_TARGET);
            }
        }
        row("verdict p99", "%.0f ms", verdict[1], "<= 1000 ms");
        row("restore rate", "%,.0f records/s", restoreRate, "");
        for (PipelineBenchmark.Scaled scaled : pipeline.scaling()) {
            row(detailed + scaled.instances() + " instance(s): total, per instance", "%s", String.format("%,.0f, %,.0f events/s",
                    scaled.rate(), scaled.ratePerInstance()), "");
            row(detailed + "  ids wrong / in two instances", "%s", scaled.wrong() + " / " + scaled.duplicated(), "0 / 0");
        }
        row(detailed + "state per series id (at close)", "%,.0f bytes", pipeline.stateBytesPerId(), "");
        row(detailed + "state per series id (compacted SST)", "%,.0f bytes", pipeline.compactedBytesPerId(),
                "<= 4096 bytes");
        row("peak RSS, bench JVM (broker + app)", "%,d MB", pipeline.peakRssBytes() >> 20, "");
    }

    private static double get(Map<String, double[]> results, String scenario) {
        double[] figures = results.get(scenario);
        return figures == null ? Double.NaN : figures[1];
    }

    private void row(String what, String format, Object value, String target) {
        out.printf("%-72s %22s   %s%n", what, String.format(format, value), target.isEmpty() ? "" : "target " + target);
    }
}
