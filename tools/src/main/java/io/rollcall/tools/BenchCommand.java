package io.rollcall.tools;

import io.rollcall.bench.AllBenchmark;
import io.rollcall.bench.CodecBenchmark;
import io.rollcall.bench.PipelineBenchmark;
import io.rollcall.bench.QueryBenchmark;
import io.rollcall.bench.RestoreBenchmark;
import io.rollcall.bench.RestartBenchmark;
import io.rollcall.bench.ScaleBenchmark;
import io.rollcall.bench.VerdictBenchmark;
import io.rollcall.bench.quality.Scenarios;
import io.rollcall.bench.quality.VerdictQualityBenchmark;
import io.rollcall.load.Spread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.rollcall.embedded.EmbeddedKafka;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks that print figures: pipeline (default), all, codec, query, verdict,",
                "verdicts, restore, failover, scale, restart.",
                "pipeline: pipeline throughput vs. a plain consumer, an in-memory peer, the same job as an",
                "idiomatic Streams DSL application and on Apache Flink (module bench-flink, which ./rollcall bench",
                "builds; checkpoints as often as the pipeline commits, and every minute), each engine's output",
                "checked against the events, on one preloaded topic per workload (--workload, --cardinality);",
                "starts an embedded broker in this JVM unless --bootstrap-servers is given.",
                "all: pipeline on both workloads (the first with 1, 2 and 3 instances), query, verdict and restore in",
                "one run (about 25 minutes), with a summary against the targets.",
                "codec: cost per event of the aggregation step without Kafka.",
                "query: HTTP query latency at a fixed rate, local and forwarded, alone and while ingesting.",
                "verdict: time from the event that makes a rollback conclusive to the verdict being readable.",
                "verdicts: verdict quality: a seeded corpus of rollouts (healthy, slower,",
                "failing, quiet, bursty, diurnal, heavy-tailed, bimodal) through the real",
                "topology at simulation speed (no broker) and, on the same requests, two",
                "reference judges (point estimates; Mann-Whitney U); prints how each ended",
                "the rollouts and which targets each met (--seed, --rollouts, --scenario;",
                "one pass, cold JVM).",
                "restore: state restoration from the changelogs after the state directory is deleted (--series ids).",
                "scale: rollcall serve JVMs (1 stream thread each) under a fixed input rate",
                "above one instance's capacity while a 2nd and a 3rd instance join, one stops",
                "(SIGTERM) and one is killed (SIGKILL) and restarted on its state; per step:",
                "when the instance is ready and active, when the lag stops growing and is",
                "back under a bound, and what reads saw (about 15 minutes).",
                "restart: one rollcall serve instance started by the launcher (as in the image) with",
                "--series of state, stopped (SIGTERM) and killed (SIGKILL) and restarted on its state",
                "while --rate events/s (default 5,000) flow, with and without its class data archive;",
                "per restart: when it is ready, how long it restored, when it caught up (about 4",
                "minutes). -Drollcall.instance.cpus=N limits the instance to N cores (cgroup, root)."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "pipeline",
            description = "pipeline, all, codec, query, verdict, verdicts, restore, failover, scale or restart "
                    + "(default: ${DEFAULT-VALUE}).")
    String what;

    @Option(names = {"-b", "--bootstrap-servers"}, description = "Use this cluster instead of an embedded broker.")
    String bootstrapServers;

    @Option(names = "--events", description = "Events to preload (default: 1,000,000; 2,000,000 for all).")
    Long events;

    @Option(names = "--series", description = {"Distinct series ids (default: 100,000; for the skewed workload "
            + "1,000,000)."})
    Integer seriesOption;

    @Option(names = "--workload", paramLabel = "uniform|skewed|both",
            description = {"pipeline, all: how events fall on the series: uniform, skewed (Zipf: a few hot series "
                    + "carry most events; the same mix of metrics) or both, each on its own topic (default: uniform; "
                    + "both for all)."})
    String workload;

    @Option(names = "--zipf-exponent", paramLabel = "S", defaultValue = "" + Spread.Zipf.DEFAULT_EXPONENT,
            description = "pipeline, all: exponent of the skewed workload's Zipf distribution (default: ${DEFAULT-VALUE}).")
    double zipfExponent;

    @Option(names = "--cardinality", split = ",", paramLabel = "N[,N…]",
            description = {"pipeline, all: run each workload at each of these series counts, with the same number of "
                    + "events, and print a table of the rows, e.g. --cardinality 10000,100000,1000000 "
                    + "(default: --series)."})
    List<Integer> cardinality;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Warm the JVM with one unreported pass of each; --no-warmup measures a cold JVM (default: on).")
    boolean warmup;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "pipeline, verdict, scale, restart: a Kafka Streams or client setting for the app under test, e.g. --set commit.interval.ms=1000 (repeatable).")
    java.util.Map<String, String> overrides = new java.util.HashMap<>();

    @Option(names = "--baseline", paramLabel = "KEY=VALUE",
            description = {"pipeline, all: also measure the pipeline with these settings, in the same run, and print "
                    + "the ratio (repeatable; all defaults to rollcall.rocksdb.tuning=streams-default)."})
    Map<String, String> baseline;

    @Option(names = "--instances", split = ",", paramLabel = "N[,N…]",
            description = "pipeline, all: also run the pipeline with each of these numbers of instances in this JVM "
                    + "(one group) and check every id against the events (all defaults to 1,2,3).")
    java.util.List<Integer> instances;

    @Option(names = "--rate", description = {"query: requests per second (default: 2,000); scale: events per second "
            + "produced during the steps (default: " + ScaleBenchmark.OVERLOAD + " × one instance's capacity measured while producing); "
            + "restart: events per second during the restarts (default: 5,000)."})
    Integer rate;

    @Option(names = "--ingest-rate", defaultValue = "20000",
            description = "query: events per second ingested during the second pair of scenarios; 0 skips them "
                    + "(default: ${DEFAULT-VALUE}).")
    long ingestRate;

    @Option(names = "--seconds", description = "query: measured seconds per scenario (default: 20; 10 for all).")
    Integer seconds;

    @Option(names = "--rollouts", defaultValue = "200",
            description = {"verdict: rollouts measured; verdicts: rollouts per scenario, the healthy one "
                    + Scenarios.HEALTHY_MULTIPLE + " times as many (default: ${DEFAULT-VALUE})."})
    int rollouts;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "verdicts: run only this scenario, named as in the table, e.g. --scenario healthy (repeatable; default: all).")
    java.util.List<String> scenarios = new java.util.ArrayList<>();

    @Option(names = "--seed", defaultValue = "1", description = "verdicts: seed of the scenario corpus (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        int series = seriesOption == null ? new Spread.Uniform().defaultSeries() : seriesOption;
        if (what.equals("all")) {
            List<PipelineBenchmark.Load> loads = loads("both");
            return withBroker(servers -> new AllBenchmark(new AllBenchmark.Settings(servers,
                    events == null ? 2_000_000 : events, loads, series, partitions, warmup, overrides,
                    baseline == null ? Map.of("rollcall.rocksdb.tuning", "streams-default") : baseline,
                    seconds == null ? 10 : seconds, rollouts,
                    instances == null ? java.util.List.of(1, 2, 3) : instances), System.out).run());
        }
        long events = this.events == null ? 1_000_000 : this.events;
        int seconds = this.seconds == null ? 20 : this.seconds;
        if (what.equals("failover")) {
            return withBroker(servers -> new RestoreBenchmark(new RestoreBenchmark.Settings(servers, series, partitions),
                    System.out).runFailover());
        }
        if (what.equals("restore")) {
            return withBroker(servers -> new RestoreBenchmark(new RestoreBenchmark.Settings(servers, series, partitions),
                    System.out).run());
        }
        if (what.equals("restart")) {
            return withBroker(servers -> new RestartBenchmark(new RestartBenchmark.Settings(servers, series, partitions,
                    rate == null ? 5_000 : rate, overrides), System.out).run());
        }
        if (what.equals("scale")) {
            return withBroker(servers -> new ScaleBenchmark(new ScaleBenchmark.Settings(servers, series, partitions,
                    rate == null ? 0 : rate, overrides), System.out).run());
        }
        if (what.equals("verdict")) {
            return withBroker(servers -> new VerdictBenchmark(new VerdictBenchmark.Settings(servers, rollouts,
                    Math.max(10, rollouts / 10), 10, overrides), System.out).run());
        }
        if (what.equals("verdicts")) {
            java.util.List<io.rollcall.bench.quality.Scenario> selected;
            try {
                selected = Scenarios.select(rollouts, scenarios);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            new VerdictQualityBenchmark(new VerdictQualityBenchmark.Settings(seed, rollouts), System.out).run(selected);
            return 0;
        }
        if (what.equals("query")) {
            return withBroker(servers -> new QueryBenchmark(new QueryBenchmark.Settings(servers,
                    Math.min(series, 20_000), rate == null ? 2_000 : rate, QueryBenchmark.WARMUP, Duration.ofSeconds(seconds), ingestRate),
                    System.out).run());
        }
        if (what.equals("codec")) {
            new CodecBenchmark((int) Math.min(events, 1_000_000), Math.min(series, 10_000), System.out).run();
            return 0;
        }
        if (!what.equals("pipeline")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown benchmark '" + what + "'; choose pipeline, all, codec, query, verdict, verdicts, restore, failover, scale or restart");
        }
        List<PipelineBenchmark.Load> loads = loads("uniform");
        System.out.printf("rollcall bench: %,d events per workload (%s), %d partitions, broker %s%n", events,
                loads.stream().map(PipelineBenchmark.Load::label).collect(Collectors.joining("; ")), partitions,
                bootstrapServers == null ? "embedded in this JVM" : bootstrapServers);
        return withBroker(servers -> new PipelineBenchmark(
                new PipelineBenchmark.Settings(servers, events, loads, partitions, warmup, overrides,
                        baseline == null ? Map.of() : baseline, instances == null ? java.util.List.of() : instances),
                System.out).run());
    }

    /** The workloads --workload names, each at every --cardinality (or --series, or its own default). */
    private List<PipelineBenchmark.Load> loads(String defaultWorkload) {
        List<Spread> spreads;
        try {
            Spread uniform = new Spread.Uniform();
            Spread skewed = new Spread.Zipf(zipfExponent);
            spreads = switch (workload == null ? defaultWorkload : workload) {
                case "uniform" -> List.of(uniform);
                case "skewed" -> List.of(skewed);
                case "both" -> List.of(uniform, skewed);
                default -> throw new IllegalArgumentException("unknown workload '" + workload
                        + "'; choose uniform, skewed or both");
            };
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        List<PipelineBenchmark.Load> loads = new ArrayList<>();
        for (Spread spread : spreads) {
            List<Integer> counts = cardinality != null ? cardinality
                    : List.of(seriesOption != null ? seriesOption : spread.defaultSeries());
            for (int count : counts) {
                if (count <= 0) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "series counts must be positive, got " + count);
                }
                loads.add(new PipelineBenchmark.Load(spread, count));
            }
        }
        return loads;
    }

    private interface Run {
        void run(String bootstrapServers) throws Exception;
    }

    private int withBroker(Run run) throws Exception {
        if (bootstrapServers != null) {
            run.run(bootstrapServers);
            return 0;
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            run.run(kafka.bootstrapServers());
        }
        return 0;
    }
}
