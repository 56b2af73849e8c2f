package io.rollcall.bench;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.app.Offsets;
import io.rollcall.app.Topics;
import io.rollcall.app.RollcallApp;
import io.rollcall.app.StreamsSettings;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.load.Spread;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.store.RocksDbTuning;
import io.rollcall.topology.StoreNames;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.rocksdb.CompressionType;

/**
 * Throughput of the aggregation pipeline against the ceiling of the same machine, per workload
 * (how events fall on series, how many series): on one preloaded topic per workload, (a) a
 * plain consumer that only reads, (b) an in-memory peer, (c) rollcall's full pipeline with its
 * production settings (exactly-once v2), (d) the same job as an idiomatic Streams DSL
 * application; (b) and (c) in rounds, the order swapped each round, and each row is its median
 * round. The first workload runs each once first to warm the JVM; its pipeline is also
 * measured with the baseline settings and with several instances.
 */
public final class PipelineBenchmark {

    /**
     * Parameters; {@code bootstrapServers} is the cluster to use (the command starts an embedded one when absent);
     * every workload gets {@code events} events.
     */
    public record Settings(String bootstrapServers, long events, List<Load> loads, int partitions, boolean warmup,
                           Map<String, String> overrides, Map<String, String> baseline, List<Integer> scaling) {
        public Settings {
            if (loads.isEmpty()) {
                throw new IllegalArgumentException("no workload to run");
            }
            loads = List.copyOf(loads);
        }
    }

    /** A workload: how events fall on series, and over how many series. */
    public record Load(Spread spread, int series) {
        /** How every printed figure names its workload, e.g. {@code skewed s=1.1, 1,000,000 series}. */
        public String label() {
            return String.format("%s, %,d series", spread.label(), series);
        }
    }

    /** What processes the preloaded topic. */
    public enum Engine {
        RAW("raw", "plain consumer read (ceiling)"),
        PEER("in-memory peer", "in-memory peer"),
        PIPELINE("pipeline", "rollcall pipeline, exactly_once_v2"),
        DSL("Streams DSL", "Streams DSL application, exactly_once_v2"),
        FLINK("Flink", "Flink, checkpoints at the commit interval"),
        FLINK_COMMON("Flink 1-min", "Flink, checkpoints every minute");

        private final String shortName;
        private final String label;

        Engine(String shortName, String label) {
            this.shortName = shortName;
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One measured pass: a workload, an engine, its figures and what else it found. */
    public record Row(Load load, Engine engine, Result figures, String note, OptionalInt wrongIds) {
        Row(Load load, Engine engine, Result figures, String note) {
            this(load, engine, figures, note, OptionalInt.empty());
        }

        public double microsPerEvent() {
            return 1e6 / figures.rate();
        }
    }

    /** Back-to-back pairs of the pipeline with the baseline settings and without, after the measured rows. */
    private static final int BASELINE_PAIRS = 2;

    /**
     * Rounds of the in-memory peer and the pipeline; each row is its median round, as one slow pass
     * (a collection or compilation landing on a pass of a few seconds) moves a sum of passes.
     */
    private static final int PEER_ROUNDS = 3;

    /** A ratio of two engines' rates on one workload and its target, which may differ between spreads. */
    public record Ratio(Engine over, Engine under, Function<Spread, String> target) {
        public String label() {
            return over.shortName + " / " + under.shortName;
        }

        /** Its value on {@code load}, when {@code rows} have both of its engines' rows there. */
        public OptionalDouble of(List<Row> rows, Load load) {
            Optional<Row> top = find(rows, load, over);
            Optional<Row> bottom = find(rows, load, under);
            return top.isPresent() && bottom.isPresent()
                    ? OptionalDouble.of(top.get().figures().rate() / bottom.get().figures().rate())
                    : OptionalDouble.empty();
        }
    }

    private static Optional<Row> find(List<Row> rows, Load load, Engine engine) {
        return rows.stream().filter(r -> r.load().equals(load) && r.engine() == engine).findFirst();
    }

    /** The ratios reported for every workload that has both engines' rows. */
    public static final List<Ratio> RATIOS = List.of(
            new Ratio(Engine.PIPELINE, Engine.PEER, spread -> spread instanceof Spread.Zipf ? ">= 0.5" : ">= 0.35"),
            new Ratio(Engine.PIPELINE, Engine.RAW, spread -> ">= 0.30"),
            new Ratio(Engine.PIPELINE, Engine.DSL, spread -> ""),
            new Ratio(Engine.PIPELINE, Engine.FLINK, spread -> ">= 1.0"),
            new Ratio(Engine.PIPELINE, Engine.FLINK_COMMON, spread -> ""));

    /**
     * One measured run; {@code stateBytes} is the pipeline's state directory after a clean close,
     * {@code compactedBytes} its SST files after a full compaction (0 for others).
     */
    public record Result(long records, double seconds, long stateBytes, long compactedBytes, RocksMemory rocksMemory) {
        Result(long records, double seconds) {
            this(records, seconds, 0, 0, null);
        }

        public double rate() {
            return records / seconds;
        }

        /** The pass with the median rate (of an even number, the slower of the middle two). */
        static Result median(List<Result> passes) {
            List<Result> byRate = passes.stream().sorted(Comparator.comparingDouble(Result::rate)).toList();
            return byRate.get((byRate.size() - 1) / 2);
        }

        /** The passes together: their events over their seconds; sizes and memory of the first. */
        static Result combined(List<Result> passes) {
            Result first = passes.get(0);
            return new Result(passes.stream().mapToLong(Result::records).sum(),
                    passes.stream().mapToDouble(Result::seconds).sum(), first.stateBytes(), first.compactedBytes(),
                    first.rocksMemory());
        }
    }

    /**
     * The measured passes of every workload; the baseline, instances and state figures are those of
     * the first workload, {@code detailed}.
     */
    public record Summary(List<Row> rows, Load detailed, Result pipeline, Result baseline, int seriesIds,
                          long peakRssBytes, List<Scaled> scaling) {

        /** The workloads, in the order they ran. */
        public List<Load> loads() {
            return rows.stream().map(Row::load).distinct().toList();
        }

        public Optional<Row> row(Load load, Engine engine) {
            return find(rows, load, engine);
        }

        public double stateBytesPerId() {
            return (double) pipeline.stateBytes() / seriesIds;
        }

        public double compactedBytesPerId() {
            return (double) pipeline.compactedBytes() / seriesIds;
        }
    }

    /**
     * RocksDB's native memory at the end of a pass, from Streams' RocksDB property metrics:
     * memtables summed over all RocksDB instances (stores and window segments); the block
     * cache summed too unless one cache is shared, then counted once.
     */
    public record RocksMemory(int instances, long memtableBytes, long blockCacheBytes) {
        @Override
        public String toString() {
            return String.format("%d RocksDB instances, memtables %,d MB, block caches %,d MB", instances,
                    memtableBytes >> 20, blockCacheBytes >> 20);
        }
    }

    /**
     * A pass with several instances of the app in this JVM, one consumer group, each with its own
     * state directory; checked against the events themselves.
     *
     * @param events     events processed after every instance was RUNNING (the rate's numerator)
     * @param ids        series ids found in the instances' active all-time stores
     * @param wrong      ids whose count or sum differs from the events (lost or double counted)
     * @param duplicated ids found in the active stores of more than one instance
     */
    public record Scaled(int instances, long events, double seconds, int ids, int wrong, int duplicated) {
        public double rate() {
            return events / seconds;
        }

        public double ratePerInstance() {
            return rate() / instances;
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    public PipelineBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public Summary run() throws Exception {
        Map<String, String> all = new HashMap<>(settings.overrides());
        all.put("bootstrap.servers", settings.bootstrapServers());
        all.putIfAbsent("rollcall.http.port", "0");
        RollcallConfig base = RollcallConfig.of(all);
        Properties streams = StreamsSettings.of(base);
        int threads = Integer.parseInt(streams.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        List<Row> rows = new ArrayList<>();
        Detail detail = null;
        for (int i = 0; i < settings.loads().size(); i++) {
            Load load = settings.loads().get(i);
            String topic = "bench-events-" + runId + "-" + i;
            Pass pass = new Pass(base, topic, load, "rollcall-bench-" + runId + "-" + i + "-", threads);
            List<Row> measured = pass.measure(i == 0 && settings.warmup());
            rows.addAll(measured);
            if (i == 0) {
                detail = pass.detail(measured);
            }
            try (Admin admin = Admin.create(base.kafkaProperties())) {
                deleteTopics(admin, topic, pass.appPrefix);
            }
        }
        Summary summary = new Summary(List.copyOf(rows), detail.load(), detail.pipeline(), detail.baseline(),
                detail.seriesIds(), peakRssBytes(), detail.scaling());
        if (settings.loads().size() > 1) {
            out.printf("%n%-36s %-42s %14s %10s%n", "workload", "engine", "events/s", "µs/event");
            for (Row row : rows) {
                out.printf("%-36s %-42s %,14.0f %10.2f%n", row.load().label(), row.engine().label(),
                        row.figures().rate(), row.microsPerEvent());
            }
        }
        out.printf("JVM %s; peak RSS of this JVM (broker, clients and engines together): %,d MB; heap limit %,d MB%n",
                settings.warmup() ? "warm: the first workload's passes follow a warm-up pass of each" : "cold",
                summary.peakRssBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        out.printf("settings: %s=%s, %s=%s, %s=%s, %s, %s, rocksdb %s, %d cores%n",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streams.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                        "100 (exactly-once default)"),
                "window " + base.windowSize(),
                "object-caching stores (" + base.storage().cachedAggregates() + " aggregates per store and task)",
                base.storage().rocksDb() == null ? "Streams' defaults" : base.storage().rocksDb(),
                Runtime.getRuntime().availableProcessors());
        return summary;
    }

    /** The passes over one workload's topic; every application id and output topic starts with {@code appPrefix}. */
    private final class Pass {
        private final RollcallConfig base;
        private final String topic;
        private final Load load;
        private final String appPrefix;
        private final int threads;
        private Truth truth;
        private int seriesIds;

        Pass(RollcallConfig base, String topic, Load load, String appPrefix, int threads) {
            this.base = base;
            this.topic = topic;
            this.load = load;
            this.appPrefix = appPrefix;
            this.threads = threads;
        }

        List<Row> measure(boolean warmup) throws Exception {
            try (Admin admin = Admin.create(base.kafkaProperties())) {
                Topics.create(admin, List.of(new NewTopic(topic, settings.partitions(), (short) 1)));
            }
            Result preload = preload(base, topic, load);
            out.printf("%n-- %s: preloaded %,d events into %s (%d partitions) at %,.0f events/s%n", load.label(),
                    settings.events(), topic, settings.partitions(), preload.rate());
            truth = truth(base, topic);
            if (warmup) {
                out.printf("%s: warm-up, one pass of each, not reported…%n", load.label());
                consume(base, topic);
                InMemoryPeer.run(base.kafkaProperties(), topic, settings.partitions(), threads, settings.events(),
                        base.windowSize());
                pipeline(config("warmup"));
                dsl(config("warmup-dsl"));
                if (!settings.baseline().isEmpty()) {
                    pipeline(config("warmup-baseline").with(settings.baseline()));
                }
            }
            List<Row> rows = new ArrayList<>();
            rows.add(print("(a)", new Row(load, Engine.RAW, consume(base, topic), "")));
            // The peer and the pipeline in rounds, the order swapped each round, so that drift over the
            // rounds (the JIT still compiling, a neighbour's load) falls on both alike. Not all of it
            // does: a pipeline pass right after the peer meets the peer's garbage (every series' state
            // on the heap) and runs slower than one right after a pipeline pass; two of the three
            // pipeline passes are of that kind, so the median is usually one.
            List<Result> peerRounds = new ArrayList<>();
            List<Result> pipelineRounds = new ArrayList<>();
            InMemoryPeer.Outcome peer = null;
            for (int round = 1; round <= PEER_ROUNDS; round++) {
                boolean peerFirst = round % 2 == 1;
                Result pipelineRound = peerFirst ? null : pipeline(config("measured-" + round));
                peer = InMemoryPeer.run(base.kafkaProperties(), topic, settings.partitions(), threads,
                        settings.events(), base.windowSize());
                Result peerRound = new Result(peer.events(), peer.seconds());
                if (peerFirst) {
                    pipelineRound = pipeline(config("measured-" + round));
                }
                peerRounds.add(peerRound);
                pipelineRounds.add(pipelineRound);
                out.printf("    round %d (%s first): in-memory peer %,10.0f events/s, pipeline %,10.0f events/s, "
                                + "ratio %.3f%n", round, peerFirst ? "peer" : "pipeline", peerRound.rate(),
                        pipelineRound.rate(), pipelineRound.rate() / peerRound.rate());
            }
            seriesIds = peer.seriesIds();
            String rounds = "median of " + PEER_ROUNDS + " rounds, peer and pipeline in turn";
            rows.add(print("(b)", new Row(load, Engine.PEER, Result.median(peerRounds),
                    String.format("%s; %d consumer threads; %,d series, %,d windows", rounds,
                            threads, peer.seriesIds(), peer.windows()))));
            Result pipeline = Result.median(pipelineRounds);
            rows.add(print("(c)", new Row(load, Engine.PIPELINE, pipeline, String.format(
                    "%s; state per id %,.0f bytes at close, %,.0f compacted", rounds,
                    (double) pipeline.stateBytes() / seriesIds, (double) pipeline.compactedBytes() / seriesIds))));
            DslOutcome dsl = dsl(config("dsl"));
            rows.add(print("(d)", new Row(load, Engine.DSL, dsl.figures(), String.format("%,d of %,d ids wrong",
                    dsl.wrong(), truth.ids()), OptionalInt.of(dsl.wrong()))));
            Duration freshness = Duration.ofMillis(new StreamsConfig(StreamsSettings.of(base))
                    .getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
            FlinkPeer.compare(base, topic, settings.partitions(), threads, freshness, truth, warmup, out)
                    .ifPresent(flink -> {
                        rows.add(print("(f)", new Row(load, Engine.FLINK, flink.matched().figures(),
                                flink.matched().note(), OptionalInt.of(flink.matched().wrong()))));
                        rows.add(print("(f1)", new Row(load, Engine.FLINK_COMMON, flink.common().figures(),
                                flink.common().note(), OptionalInt.of(flink.common().wrong()))));
                    });
            List<String> ratios = new ArrayList<>();
            for (Ratio ratio : RATIOS) {
                ratio.of(rows, load).ifPresent(value -> ratios.add(String.format("%s = %.3f", ratio.label(), value)));
            }
            out.printf("%s: ratios %s%n", load.label(), String.join(", ", ratios));
            return rows;
        }

        /** Baseline settings and several instances on this workload. */
        Detail detail(List<Row> measured) throws Exception {
            Result pipeline = measured.stream().filter(r -> r.engine() == Engine.PIPELINE).findFirst().orElseThrow()
                    .figures();
            Result baseline = null;
            if (!settings.baseline().isEmpty()) {
                // Pairs back to back, the baseline first in odd pairs and second in even ones: drift of
                // this machine over the run (other engines' garbage, the broker's growing logs, a
                // neighbour's load) and the JIT still compiling after the pass before fall on both alike.
                List<Result> withBaseline = new ArrayList<>();
                List<Result> again = new ArrayList<>();
                for (int pair = 1; pair <= BASELINE_PAIRS; pair++) {
                    boolean baselineFirst = pair % 2 == 1;
                    Result c0;
                    Result c;
                    if (baselineFirst) {
                        c0 = pipeline(config("baseline-" + pair).with(settings.baseline()));
                        c = pipeline(config("again-" + pair));
                    } else {
                        c = pipeline(config("again-" + pair));
                        c0 = pipeline(config("baseline-" + pair).with(settings.baseline()));
                    }
                    withBaseline.add(c0);
                    again.add(c);
                    out.printf("(c0) %s: pair %d: the same pipeline with %s: %,10.0f events/s, as (c): "
                                    + "%,10.0f events/s (%s first); c/c0 = %.2f%n", load.label(), pair,
                            settings.baseline(), c0.rate(), c.rate(), baselineFirst ? "c0" : "c", c.rate() / c0.rate());
                }
                baseline = Result.combined(withBaseline);
                double ratio = Result.combined(again).rate() / baseline.rate();
                out.printf("(c0) %s: over %d pairs, c/c0 = %.2f (events over seconds of each side)%n",
                        load.label(), BASELINE_PAIRS, ratio);
                out.printf("     state per id c / c0: %,.0f / %,.0f bytes at close, %,.0f / %,.0f bytes compacted; "
                                + "RocksDB memory at the end c: %s; c0: %s%n",
                        (double) pipeline.stateBytes() / seriesIds, (double) baseline.stateBytes() / seriesIds,
                        (double) pipeline.compactedBytes() / seriesIds, (double) baseline.compactedBytes() / seriesIds,
                        pipeline.rocksMemory(), baseline.rocksMemory());
            }
            List<Scaled> scaling = new ArrayList<>();
            for (int instances : settings.scaling()) {
                Scaled scaled = scaled(instances);
                scaling.add(scaled);
                out.printf("(s) %s: %d instance(s) in this JVM: %,10.0f events/s in all, %,.0f per instance  "
                                + "(%,d events in %.2f s); %,d ids, %d wrong, %d in two instances%n",
                        load.label(), instances, scaled.rate(), scaled.ratePerInstance(), scaled.events(),
                        scaled.seconds(), scaled.ids(), scaled.wrong(), scaled.duplicated());
            }
            return new Detail(load, pipeline, baseline, seriesIds, scaling);
        }

        private Row print(String tag, Row row) {
            Result figures = row.figures();
            out.printf("%s %s: %-42s %,12.0f events/s %7.2f µs/event  (%,d in %.2f s%s)%n", tag, load.label(),
                    row.engine().label(), figures.rate(), row.microsPerEvent(), figures.records(), figures.seconds(),
                    row.note().isEmpty() ? "" : "; " + row.note());
            return row;
        }

        private RollcallConfig config(String pass) throws java.io.IOException {
            return base.with(Map.of(
                    "rollcall.application.id", appPrefix + pass,
                    "rollcall.topic.events", topic,
                    "rollcall.topic.aggregates", appPrefix + pass + "-aggregates",
                    "rollcall.topic.dead-letter", appPrefix + pass + "-dlq",
                    "rollcall.state.dir", Files.createTempDirectory("rollcall-bench-state").toString()));
        }

        private DslOutcome dsl(RollcallConfig config) throws Exception {
            try (Admin admin = Admin.create(config.kafkaProperties());
                 DslPipeline app = DslPipeline.start(config)) {
                app.awaitRunning(Duration.ofMinutes(2));
                long start = System.nanoTime();
                awaitCommitted(admin, config.applicationId(), topic, start);
                double seconds = (System.nanoTime() - start) / 1e9;
                return new DslOutcome(new Result(settings.events(), seconds), truth.wrong(app.allTime()));
            }
        }

        /**
         * {@code instances} apps in one group, started together; the rate counts the events committed
         * after all of them were RUNNING (the first ones start working while the others join).
         */
        private Scaled scaled(int instances) throws Exception {
            String pass = "scaling-" + instances;
            String appId = appPrefix + pass;
            List<RollcallApp> apps = new ArrayList<>();
            List<Path> stateDirs = new ArrayList<>();
            try (Admin admin = Admin.create(base.kafkaProperties())) {
                for (int i = 0; i < instances; i++) {
                    RollcallConfig config = config(pass);
                    stateDirs.add(config.stateDir());
                    apps.add(RollcallApp.start(config));
                }
                for (RollcallApp app : apps) {
                    Running.await(app, Duration.ofMinutes(2));
                }
                long before = Offsets.committed(admin, appId, topic);
                long start = System.nanoTime();
                awaitCommitted(admin, appId, topic, start);
                double seconds = (System.nanoTime() - start) / 1e9;
                return check(apps, instances, settings.events() - before, seconds, truth);
            } finally {
                apps.forEach(RollcallApp::close);
                for (Path dir : stateDirs) {
                    deleteTree(dir);
                }
            }
        }
    }

    private record DslOutcome(Result figures, int wrong) {
    }

    /** The first workload's further figures; {@code seriesIds} is how many ids its events have. */
    private record Detail(Load load, Result pipeline, Result baseline, int seriesIds, List<Scaled> scaling) {
    }

    /** The JVM's peak resident set (VmHWM), or 0 where /proc is not available. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    static long directoryBytes(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private Result preload(RollcallConfig config, String topic, Load load) {
        Duration took = LoadGenerator.preload(config.kafkaProperties(),
                new LoadGenerator.Settings(topic, 0, settings.events(), load.series(), 7, load.spread()), event -> { },
                Duration.ofMinutes(2));
        return new Result(settings.events(), took.toNanos() / 1e9);
    }

    private Result consume(RollcallConfig config, String topic) {
        long[] bytes = {0};
        Result read = readAll(config, topic, record -> bytes[0] += record.value().length);
        if (bytes[0] == 0) {
            throw new IllegalStateException("read no bytes");
        }
        return read;
    }

    /** Reads the preloaded topic from the beginning with a plain consumer, every record through {@code each}; timed from the first poll. */
    private Result readAll(RollcallConfig config, String topic,
                           java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(InMemoryPeer.byteReader(config.kafkaProperties()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < settings.partitions(); p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            long count = 0;
            while (count < settings.events()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                records.forEach(each);
                count += records.count();
            }
            return new Result(count, (System.nanoTime() - start) / 1e9);
        }
    }

    /** One pass of the pipeline on {@code config}'s topics and state directory, which it deletes after measuring it. */
    private Result pipeline(RollcallConfig config) throws Exception {
        Path stateDir = config.stateDir();
        double seconds;
        RocksMemory memory;
        try (Admin admin = Admin.create(config.kafkaProperties());
             RollcallApp app = RollcallApp.start(config)) {
            Running.await(app, Duration.ofMinutes(2));
            ThreadCpu cpuAtStart = ThreadCpu.now();
            long start = System.nanoTime();
            awaitCommitted(admin, config.applicationId(), config.eventsTopic(), start);
            seconds = (System.nanoTime() - start) / 1e9;
            out.printf("     CPU of this JVM during the pass (%s): %s%n", config.applicationId(),
                    ThreadCpu.describe(ThreadCpu.now().since(cpuAtStart)));
            memory = rocksMemory(app, config.storage().rocksDb() != null);
        }
        // Closed cleanly: RocksDB has flushed its memtables, so the directory holds the whole state.
        long atClose = directoryBytes(stateDir);
        RollcallConfig.RocksDb rocks = config.storage().rocksDb();
        long compacted = StateSize.compactedSstBytes(stateDir,
                rocks == null ? CompressionType.NO_COMPRESSION : RocksDbTuning.compression(rocks.compression()));
        deleteTree(stateDir);
        return new Result(settings.events(), seconds, atClose, compacted, memory);
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Deletes the topics whose names start with one of {@code prefixes}: a finished workload's input, outputs and changelogs. */
    private static void deleteTopics(Admin admin, String... prefixes) throws Exception {
        List<String> names = admin.listTopics().names().get().stream()
                .filter(name -> java.util.Arrays.stream(prefixes).anyMatch(name::startsWith)).toList();
        admin.deleteTopics(names).all().get();
    }

    private static RocksMemory rocksMemory(RollcallApp app, boolean sharedCache) {
        long memtables = 0;
        long caches = 0;
        java.util.Set<String> stores = new java.util.HashSet<>();
        for (var metric : app.streams().metrics().values()) {
            String name = metric.metricName().name();
            if (!metric.metricName().group().equals("stream-state-metrics")
                    || !(metric.metricValue() instanceof Number value)) {
                continue;
            }
            if (name.equals("size-all-mem-tables")) {
                memtables += value.longValue();
                stores.add(metric.metricName().tags().toString());
            } else if (name.equals("block-cache-usage")) {
                caches = sharedCache ? Math.max(caches, value.longValue()) : caches + value.longValue();
            }
        }
        return new RocksMemory(stores.size(), memtables, caches);
    }

    private void awaitCommitted(Admin admin, String appId, String topic, long start) throws Exception {
        long reported = start;
        long committed;
        while ((committed = Offsets.committed(admin, appId, topic)) < settings.events()) {
            Thread.sleep(20);
            long now = System.nanoTime();
            if (now - start > TimeUnit.MINUTES.toNanos(10)) {
                throw new IllegalStateException("pipeline did not finish within 10 minutes");
            }
            if (now - reported > TimeUnit.SECONDS.toNanos(10)) {
                // Progress on stderr: the figures on stdout stay a clean record of the run.
                System.err.println("  … " + io.rollcall.app.Eta.line("committed", committed, settings.events(),
                        (now - start) / 1e9));
                reported = now;
            }
        }
    }

    /** Every id's count and sum in the instances' active stores against the events; ids in two instances. */
    private static Scaled check(List<RollcallApp> apps, int instances, long events, double seconds, Truth truth)
            throws InterruptedException {
        Map<Long, Integer> seen = new HashMap<>();
        int wrong = 0;
        for (RollcallApp app : apps) {
            for (var entry : activeAggregates(app).entrySet()) {
                seen.merge(entry.getKey(), 1, Integer::sum);
                wrong += truth.matches(entry.getKey(), entry.getValue()) ? 0 : 1;
            }
        }
        int duplicated = (int) seen.values().stream().filter(n -> n > 1).count();
        return new Scaled(instances, events, seconds, seen.size(), wrong + truth.missing(seen.keySet()), duplicated);
    }

    private static Map<Long, Aggregate> activeAggregates(RollcallApp app) throws InterruptedException {
        return StoreReads.once(() -> {
            Map<Long, Aggregate> out = new HashMap<>();
            ReadOnlyKeyValueStore<byte[], ValueAndTimestamp<SeriesState>> store = app.streams().store(
                    StoreQueryParameters.fromNameAndType(StoreNames.ALL_TIME,
                            QueryableStoreTypes.<byte[], SeriesState>timestampedKeyValueStore()));
            try (KeyValueIterator<byte[], ValueAndTimestamp<SeriesState>> all = store.all()) {
                all.forEachRemaining(kv -> out.put(SeriesId.fromBytes(kv.key).bits(), kv.value.value().allTime()));
            }
            return out;
        });
    }

    /** Count and sum of every series id on the topic, read by a plain consumer: the ground truth. */
    private Truth truth(RollcallConfig config, String topic) {
        AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();
        Truth truth = new Truth();
        readAll(config, topic, record -> truth.add(serde.deserialize(record.value())));
        return truth;
    }
}
