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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Throughput of the aggregation pipeline against the ceiling of the same machine: on one
 * preloaded topic, (a) a plain consumer that only reads, (b) rollcall's full pipeline with
 * its production settings (exactly-once v2). Both run once to warm the JVM, then measured.
 */
public final class PipelineBenchmark {

    /** Parameters; {@code bootstrapServers} is the cluster to use (the command starts an embedded one when absent). */
    public record Settings(String bootstrapServers, long events, int series, int partitions, boolean warmup,
                           Map<String, String> overrides) {
    }

    /** One measured run. */
    public record Result(String what, long records, double seconds) {
        double rate() {
            return records / seconds;
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    public PipelineBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public List<Result> run() throws Exception {
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

        List<Result> results = new ArrayList<>();
        if (settings.warmup()) {
            out.println("warm-up: one consumer pass and one pipeline pass (not reported)…");
            consume(base, topic);
            pipeline(base, topic, "warmup");
        }
        Result consumer = consume(base, topic);
        out.printf("(a) plain consumer read:        %,12.0f records/s  (%,d in %.2f s)%n",
                consumer.rate(), consumer.records(), consumer.seconds());
        Result pipeline = pipeline(base, topic, "measured");
        out.printf("(b) rollcall pipeline (EOS v2): %,12.0f records/s  (%,d in %.2f s)%n",
                pipeline.rate(), pipeline.records(), pipeline.seconds());
        out.printf("ratio b/a = %.3f  (JVM %s)%n", pipeline.rate() / consumer.rate(),
                settings.warmup() ? "warm: each measured pass follows a warm-up pass" : "cold");
        Properties streams = StreamsSettings.of(base);
        out.printf("settings: %s=%s, %s=%s, %s=%s, %s=%s, cache %s bytes, %d cores, heap %d MB%n",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, streams.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG),
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streams.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                        "100 (exactly-once default)"),
                "window", base.windowSize(), streams.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        results.add(consumer);
        results.add(pipeline);
        return results;
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
        Properties props = config.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
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
            return new Result("pipeline", settings.events(), (System.nanoTime() - start) / 1e9);
        }
    }
}
