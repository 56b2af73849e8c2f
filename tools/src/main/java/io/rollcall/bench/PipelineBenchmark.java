package io.rollcall.bench;

import io.rollcall.app.Offsets;
import io.rollcall.app.Topics;
import io.rollcall.app.RollcallApp;
import io.rollcall.app.StreamsSettings;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.rocksdb.CompressionType;
import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.SeriesId;
import io.rollcall.store.RocksDbTuning;
import io.rollcall.topology.StoreNames;
import java.util.HashMap;

/**
 * Throughput of the aggregation pipeline against the ceiling of the same machine: on one
 * preloaded topic, (a) a plain consumer that only reads, (b) rollcall's full pipeline with
 * its production settings (exactly-once v2). Both run once to warm the JVM, then measured.
 */
public final class PipelineBenchmark {

    /** Parameters; {@code bootstrapServers} is the cluster to use (the command starts an embedded one when absent). */
    public record Settings(String bootstrapServers, long events, int series, int partitions, boolean warmup,
                           Map<String, String> overrides, Map<String, String> baseline, List<Integer> scaling) {
    }

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
    }

    /** The measured passes and what they imply. */
    public record Summary(Result consumer, InMemoryPeer.Outcome peer, Result pipeline, Result baseline, int seriesIds,
                          long peakRssBytes, List<Scaled> scaling, java.util.Optional<FlinkPeer.Comparison> flink) {
        public double pipelineToRaw() {
            return pipeline.rate() / consumer.rate();
        }

        public double pipelineToPeer() {
            return pipeline.rate() / peer.rate();
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
        Map<String, String> all = new java.util.HashMap<>(settings.overrides());
        all.put("bootstrap.servers", settings.bootstrapServers());
        all.putIfAbsent("rollcall.http.port", "0");
        RollcallConfig base = RollcallConfig.of(all);
        String topic = "bench-events-" + runId;
        try (Admin admin = Admin.create(base.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(topic, settings.partitions(), (short) 1)));
        }
        Result preload = preload(base, topic);
        out.printf("preloaded %,d events over %,d series into %s (%d partitions) at %,.0f events/s%n",
                settings.events(), settings.series(), topic, settings.partitions(), preload.rate());
        Properties streams = StreamsSettings.of(base);
        int threads = Integer.parseInt(streams.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG));

        if (settings.warmup()) {
            out.println("warm-up: one pass of each, not reported…");
            consume(base, topic);
            InMemoryPeer.run(base.kafkaProperties(), topic, settings.partitions(), threads, settings.events(),
                    base.windowSize());
            pipeline(base, topic, "warmup");
            if (!settings.baseline().isEmpty()) {
                pipeline(base.with(settings.baseline()), topic, "warmup-baseline");
            }
        }
        Result consumer = consume(base, topic);
        out.printf("(a) plain consumer read (ceiling):      %,12.0f events/s  (%,d in %.2f s)%n",
                consumer.rate(), consumer.records(), consumer.seconds());
        InMemoryPeer.Outcome peer = InMemoryPeer.run(base.kafkaProperties(), topic, settings.partitions(), threads,
                settings.events(), base.windowSize());
        out.printf("(b) in-memory peer (%d consumer threads): %,10.0f events/s  (%,d in %.2f s; %,d series, %,d windows)%n",
                threads, peer.rate(), peer.events(), peer.seconds(), peer.seriesIds(), peer.windows());
        Result pipeline = pipeline(base, topic, "measured");
        out.printf("(c) rollcall pipeline (EOS v2):         %,12.0f events/s  (%,d in %.2f s)%n",
                pipeline.rate(), pipeline.records(), pipeline.seconds());
        var flink = FlinkPeer.compare(base, topic, settings.partitions(), threads,
                Duration.ofMillis(new StreamsConfig(streams).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)),
                () -> truth(base, topic), settings.warmup(), out);
        flink.ifPresent(f -> out.printf("%s%n%s%n", f.matched().line("(f) Flink, same freshness:  ", pipeline.rate()),
                f.common().line("(f1) Flink, common interval:", pipeline.rate())));
        Result baseline = null;
        if (!settings.baseline().isEmpty()) {
            baseline = pipeline(base.with(settings.baseline()), topic, "baseline");
            out.printf("(c0) the same pipeline with %s: %,10.0f events/s  (%,d in %.2f s); c/c0 = %.2f%n",
                    settings.baseline(), baseline.rate(), baseline.records(), baseline.seconds(),
                    pipeline.rate() / baseline.rate());
            out.printf("     state per id c / c0: %,.0f / %,.0f bytes at close, %,.0f / %,.0f bytes compacted; "
                            + "RocksDB memory at the end c: %s; c0: %s%n",
                    (double) pipeline.stateBytes() / peer.seriesIds(), (double) baseline.stateBytes() / peer.seriesIds(),
                    (double) pipeline.compactedBytes() / peer.seriesIds(),
                    (double) baseline.compactedBytes() / peer.seriesIds(), pipeline.rocksMemory(),
                    baseline.rocksMemory());
        }
        List<Scaled> scaling = new ArrayList<>();
        if (!settings.scaling().isEmpty()) {
            Map<Long, double[]> truth = truth(base, topic);
            for (int instances : settings.scaling()) {
                Scaled scaled = scaled(base, topic, "scaling-" + instances, instances, truth);
                scaling.add(scaled);
                out.printf("(s) %d instance(s) in this JVM: %,10.0f events/s in all, %,.0f per instance  "
                                + "(%,d events in %.2f s); %,d ids, %d wrong, %d in two instances%n",
                        instances, scaled.rate(), scaled.ratePerInstance(), scaled.events(), scaled.seconds(),
                        scaled.ids(), scaled.wrong(), scaled.duplicated());
            }
        }
        Summary summary = new Summary(consumer, peer, pipeline, baseline, peer.seriesIds(), peakRssBytes(), scaling,
                flink);
        out.printf("ratios: pipeline/raw c/a = %.3f, pipeline/in-memory peer c/b = %.3f  (JVM %s)%n",
                summary.pipelineToRaw(), summary.pipelineToPeer(),
                settings.warmup() ? "warm: each measured pass follows a warm-up pass" : "cold");
        out.printf("state after a clean close: %,d bytes in the state directory = %,.0f bytes per series id "
                        + "(all-time and windowed stores, %,d ids); after a full compaction %,d bytes of SST files "
                        + "= %,.0f bytes per id%n",
                pipeline.stateBytes(), summary.stateBytesPerId(), summary.seriesIds(), pipeline.compactedBytes(),
                summary.compactedBytesPerId());
        out.printf("peak RSS of this JVM (broker, clients and pipeline together): %,d MB; heap limit %,d MB%n",
                summary.peakRssBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        out.printf("settings: %s=%s, %s=%s, %s=%s, %s=%s, %s, rocksdb %s, %d cores%n",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streams.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                        "100 (exactly-once default)"),
                "window", base.windowSize(),
                "object-caching stores (" + base.storage().cachedAggregates() + " aggregates per store and task)",
                base.storage().rocksDb() == null ? "Streams' defaults" : base.storage().rocksDb(),
                Runtime.getRuntime().availableProcessors());
        return summary;
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

    private Result preload(RollcallConfig config, String topic) {
        Duration took = LoadGenerator.preload(config.kafkaProperties(),
                new LoadGenerator.Settings(topic, 0, settings.events(), settings.series(), 7), event -> { },
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

    private static RollcallConfig passConfig(RollcallConfig base, String topic, String appId, Path stateDir,
                                             String pass) {
        return base.with(Map.of(
                "rollcall.application.id", appId,
                "rollcall.topic.events", topic,
                "rollcall.topic.aggregates", topic + "-" + pass + "-aggregates",
                "rollcall.topic.dead-letter", topic + "-" + pass + "-dlq",
                "rollcall.state.dir", stateDir.toString()));
    }

    private Result pipeline(RollcallConfig base, String topic, String pass) throws Exception {
        Path stateDir = Files.createTempDirectory("rollcall-bench-state");
        String appId = "rollcall-bench-" + runId + "-" + pass;
        RollcallConfig config = passConfig(base, topic, appId, stateDir, pass);
        double seconds;
        RocksMemory memory;
        try (Admin admin = Admin.create(config.kafkaProperties());
             RollcallApp app = RollcallApp.start(config)) {
            Running.await(app, Duration.ofMinutes(2));
            long start = System.nanoTime();
            awaitCommitted(admin, appId, topic, start);
            seconds = (System.nanoTime() - start) / 1e9;
            memory = rocksMemory(app, config.storage().rocksDb() != null);
        }
        // Closed cleanly: RocksDB has flushed its memtables, so the directory holds the whole state.
        long atClose = directoryBytes(stateDir);
        RollcallConfig.RocksDb rocks = config.storage().rocksDb();
        long compacted = StateSize.compactedSstBytes(stateDir,
                rocks == null ? CompressionType.NO_COMPRESSION : RocksDbTuning.compression(rocks.compression()));
        return new Result(settings.events(), seconds, atClose, compacted, memory);
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

    /**
     * {@code instances} apps in one group, started together; the rate counts the events committed
     * after all of them were RUNNING (the first ones start working while the others join).
     */
    private Scaled scaled(RollcallConfig base, String topic, String pass, int instances, Map<Long, double[]> truth)
            throws Exception {
        String appId = "rollcall-bench-" + runId + "-" + pass;
        List<RollcallApp> apps = new ArrayList<>();
        try (Admin admin = Admin.create(base.kafkaProperties())) {
            for (int i = 0; i < instances; i++) {
                apps.add(RollcallApp.start(passConfig(base, topic, appId,
                        Files.createTempDirectory("rollcall-bench-state-" + i), pass)));
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
        }
    }

    /** Every id's count and sum in the instances' active stores against the events; ids in two instances. */
    private static Scaled check(List<RollcallApp> apps, int instances, long events, double seconds,
                                Map<Long, double[]> truth) throws InterruptedException {
        Map<Long, Integer> seen = new HashMap<>();
        int wrong = 0;
        for (RollcallApp app : apps) {
            for (var entry : activeAggregates(app).entrySet()) {
                seen.merge(entry.getKey(), 1, Integer::sum);
                if (!matches(entry.getValue(), truth.get(entry.getKey()))) {
                    wrong++;
                }
            }
        }
        int missing = (int) truth.keySet().stream().filter(id -> !seen.containsKey(id)).count();
        int duplicated = (int) seen.values().stream().filter(n -> n > 1).count();
        return new Scaled(instances, events, seconds, seen.size(), wrong + missing, duplicated);
    }

    /** Whether an aggregate (null: none) has the count and sum of the events ({@code expected}, null: none). */
    static boolean matches(Aggregate actual, double[] expected) {
        return actual != null && expected != null && actual.count() == (long) expected[0]
                && Math.abs(actual.sum() - expected[1]) <= 1e-9 * Math.max(1, Math.abs(expected[1]));
    }

    private static Map<Long, Aggregate> activeAggregates(RollcallApp app) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                Map<Long, Aggregate> out = new HashMap<>();
                ReadOnlyKeyValueStore<byte[], ValueAndTimestamp<Aggregate>> store = app.streams().store(
                        StoreQueryParameters.fromNameAndType(StoreNames.ALL_TIME,
                                QueryableStoreTypes.<byte[], Aggregate>timestampedKeyValueStore()));
                try (KeyValueIterator<byte[], ValueAndTimestamp<Aggregate>> all = store.all()) {
                    all.forEachRemaining(kv -> out.put(SeriesId.fromBytes(kv.key).bits(), kv.value.value()));
                }
                return out;
            } catch (InvalidStateStoreException e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Count and sum of every series id on the topic, read by a plain consumer: the ground truth. */
    private Map<Long, double[]> truth(RollcallConfig config, String topic) {
        AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();
        Map<Long, double[]> truth = new HashMap<>();
        readAll(config, topic, record -> {
            MetricEvent event = serde.deserialize(record.value());
            double[] sums = truth.computeIfAbsent(event.getId(), id -> new double[2]);
            sums[0]++;
            sums[1] += event.getValue();
        });
        return truth;
    }
}
