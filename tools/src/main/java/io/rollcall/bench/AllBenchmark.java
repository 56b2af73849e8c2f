package io.rollcall.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * {@code rollcall bench all}: the pipeline against its ceiling and its in-memory peer on one
 * preloaded topic, then query latency while ingesting at half the measured pipeline rate,
 * verdict latency and restore rate, each as its own benchmark prints it, and one summary of
 * the headline figures against the targets of this machine.
 */
public final class AllBenchmark {

    /** Parameters; {@code overrides} apply to the pipeline under test. */
    public record Settings(String bootstrapServers, long events, int series, int partitions, boolean warmup,
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
        out.printf("== 1/4 pipeline: %,d events, %,d series, %d partitions%n", settings.events(), settings.series(),
                settings.partitions());
        PipelineBenchmark.Summary pipeline = new PipelineBenchmark(new PipelineBenchmark.Settings(
                settings.bootstrapServers(), settings.events(), settings.series(), settings.partitions(),
                settings.warmup(), settings.overrides(), settings.baseline(), settings.scaling()), out).run();

        long ingestRate = Math.round(pipeline.pipeline().rate() / 2);
        out.printf("%n== 2/4 queries at 2,000 requests/s, alone and while ingesting %,d events/s (half the pipeline rate)%n",
                ingestRate);
        QueryBenchmark query = new QueryBenchmark(new QueryBenchmark.Settings(settings.bootstrapServers(),
                Math.min(settings.series(), 20_000), 2_000, Duration.ofSeconds(5),
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
        row("raw consumer read (ceiling)", "%,.0f events/s", pipeline.consumer().rate(), "");
        row("in-memory peer", "%,.0f events/s", pipeline.peer().rate(), "");
        row("rollcall pipeline, exactly_once_v2", "%,.0f events/s", pipeline.pipeline().rate(), "");
        if (pipeline.baseline() != null) {
            row("  the same with " + settings.baseline(), "%,.0f events/s", pipeline.baseline().rate(), "");
        }
        row("pipeline / raw", "%.3f", pipeline.pipelineToRaw(), ">= 0.30");
        row("pipeline / in-memory peer", "%.3f", pipeline.pipelineToPeer(), ">= 0.35");
        pipeline.flink().ifPresent(flink -> {
            row("Flink, same freshness", "%,.0f events/s", flink.matched().rate(), "");
            row("pipeline / Flink, same freshness", "%.3f", pipeline.pipeline().rate() / flink.matched().rate(), ">= 1.0");
            row("Flink, 1-minute checkpoints", "%,.0f events/s", flink.common().rate(), "");
            row("pipeline / Flink, 1-minute checkpoints", "%.3f", pipeline.pipeline().rate() / flink.common().rate(), "");
            row("  Flink ids wrong (both runs)", "%d", flink.matched().wrong() + flink.common().wrong(), "0");
        });
        row("HTTP local p99, alone", "%.2f ms", get(q, "local hits"), "");
        row("HTTP local p99, ingesting", "%.2f ms", get(q, "local hits, ingesting"), "<= 2 ms");
        row("HTTP forwarded p99, ingesting", "%.2f ms", get(q, "forwarded hits, ingesting"), "");
        row("HTTP baseline /health/live p99", "%.2f ms", get(q, "baseline: GET /health/live"), "");
        row("verdict p99", "%.0f ms", verdict[1], "<= 1000 ms");
        row("restore rate", "%,.0f records/s", restoreRate, "");
        for (PipelineBenchmark.Scaled scaled : pipeline.scaling()) {
            row(scaled.instances() + " instance(s): total, per instance", "%s", String.format("%,.0f, %,.0f events/s",
                    scaled.rate(), scaled.ratePerInstance()), "");
            row("  ids wrong / in two instances", "%s", scaled.wrong() + " / " + scaled.duplicated(), "0 / 0");
        }
        row("state per series id (at close)", "%,.0f bytes", pipeline.stateBytesPerId(), "");
        row("state per series id (compacted SST)", "%,.0f bytes", pipeline.compactedBytesPerId(), "<= 4096 bytes");
        row("peak RSS, bench JVM (broker + app)", "%,d MB", pipeline.peakRssBytes() >> 20, "");
    }

    private static double get(Map<String, double[]> results, String scenario) {
        double[] figures = results.get(scenario);
        return figures == null ? Double.NaN : figures[1];
    }

    private void row(String what, String format, Object value, String target) {
        out.printf("%-38s %22s   %s%n", what, String.format(format, value), target.isEmpty() ? "" : "target " + target);
    }
}
