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
import java.time.Clock;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Throughput of the aggregation pipeline against the ceiling of the same machine: on one
 * preloaded topic, (a) a plain consumer that only reads, (b) rollcall's full pipeline with
 * its production settings (exactly-once v2). Both run once to warm the JVM, then measured.
 */
public final class PipelineBenchmark {

    /** Parameters; {@code bootstrapServers} is the cluster to use (the command starts an embedded one when absent). */
    public record Settings(String bootstrapServers, long events, int series, int partitions, boolean warmup,
                           Map<String, String> overrides, Map<String, String> baseline) {
        public Settings(String bootstrapServers, long events, int series, int partitions, boolean warmup,
                        Map<String, String> overrides) {
            this(bootstrapServers, events, series, partitions, warmup, overrides, Map.of());
        }
    }

    /** One measured run; {@code stateBytes} is the pipeline's state directory after a clean close (0 for others). */
    public record Result(String what, long records, double seconds, long stateBytes) {
        Result(String what, long records, double seconds) {
            this(what, records, seconds, 0);
        }

        public double rate() {
            return records / seconds;
        }
    }

    /** The measured passes and what they imply. */
    public record Summary(Result consumer, InMemoryPeer.Outcome peer, Result pipeline, Result baseline, int seriesIds,
                          long peakRssBytes) {
        public double pipelineToRaw() {
            return pipeline.rate() / consumer.rate();
        }

        public double pipelineToPeer() {
            return pipeline.rate() / peer.rate();
        }

        public double stateBytesPerId() {
            return (double) pipeline.stateBytes() / seriesIds;
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
        Result baseline = null;
        if (!settings.baseline().isEmpty()) {
            baseline = pipeline(base.with(settings.baseline()), topic, "baseline");
            out.printf("(c0) the same pipeline with %s: %,10.0f events/s  (%,d in %.2f s); c/c0 = %.2f%n",
                    settings.baseline(), baseline.rate(), baseline.records(), baseline.seconds(),
                    pipeline.rate() / baseline.rate());
        }
        Summary summary = new Summary(consumer, peer, pipeline, baseline, peer.seriesIds(), peakRssBytes());
        out.printf("ratios: pipeline/raw c/a = %.3f, pipeline/in-memory peer c/b = %.3f  (JVM %s)%n",
                summary.pipelineToRaw(), summary.pipelineToPeer(),
                settings.warmup() ? "warm: each measured pass follows a warm-up pass" : "cold");
        out.printf("state after a clean close: %,d bytes in the state directory = %,.0f bytes per series id "
                        + "(all-time and windowed stores, %,d ids)%n",
                pipeline.stateBytes(), summary.stateBytesPerId(), summary.seriesIds());
        out.printf("peak RSS of this JVM (broker, clients and pipeline together): %,d MB; heap limit %,d MB%n",
                summary.peakRssBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        out.printf("settings: %s=%s, %s=%s, %s=%s, %s=%s, cache %s bytes, %d cores%n",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streams.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                        "100 (exactly-once default)"),
                "window", base.windowSize(), streams.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG),
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

    private Result preload(RollcallConfig config, String topic) throws InterruptedException {
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            LoadGenerator generator = new LoadGenerator(producer,
                    new LoadGenerator.Settings(topic, 0, settings.events(), settings.series(), 7), Clock.systemUTC());
            long start = System.nanoTime();
            generator.run();
            if (!generator.awaitAcks(Duration.ofMinutes(2)) || generator.failed() > 0) {
                throw new IllegalStateException("preload incomplete: " + generator.acked() + " acked, "
                        + generator.failed() + " failed of " + generator.sent());
            }
            return new Result("preload", generator.acked(), (System.nanoTime() - start) / 1e9);
        }
    }

    private Result consume(RollcallConfig config, String topic) {
        Properties props = InMemoryPeer.byteReader(config.kafkaProperties());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < settings.partitions(); p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            long count = 0;
            long bytes = 0;
            while (count < settings.events()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (var record : records) {
                    bytes += record.value().length;
                }
                count += records.count();
            }
            if (bytes == 0) {
                throw new IllegalStateException("read no bytes");
            }
            return new Result("consumer", count, (System.nanoTime() - start) / 1e9);
        }
    }

    private Result pipeline(RollcallConfig base, String topic, String pass) throws Exception {
        Path stateDir = Files.createTempDirectory("rollcall-bench-state");
        String appId = "rollcall-bench-" + runId + "-" + pass;
        RollcallConfig config = base.with(Map.of(
                "rollcall.application.id", appId,
                "rollcall.topic.events", topic,
                "rollcall.topic.aggregates", topic + "-" + pass + "-aggregates",
                "rollcall.topic.dead-letter", topic + "-" + pass + "-dlq",
                "rollcall.state.dir", stateDir.toString()));
        double seconds;
        try (Admin admin = Admin.create(config.kafkaProperties());
             RollcallApp app = RollcallApp.start(config)) {
            if (!app.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("pipeline did not reach RUNNING");
            }
            long start = System.nanoTime();
            while (Offsets.committed(admin, appId, topic) < settings.events()) {
                Thread.sleep(20);
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException("pipeline did not finish within 10 minutes");
                }
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        // Closed cleanly: RocksDB has flushed its memtables, so the directory holds the whole state.
        return new Result("pipeline", settings.events(), seconds, directoryBytes(stateDir));
    }
}
