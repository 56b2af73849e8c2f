package io.rollcall.bench;

import io.rollcall.app.RollcallApp;
import io.rollcall.rollout.RolloutWriter;
import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.rollout.Judgement;
import io.rollcall.rollout.RoleStats;
import io.rollcall.rollout.RolloutJudge;
import io.rollcall.rollout.WindowStats;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Verdict latency: from the event that makes a rollback conclusive to the ROLLBACK verdict
 * being readable by a {@code read_committed} consumer. For each rollout, healthy canary
 * requests come first, then failing ones, one at a time; the benchmark applies the judge's
 * own mid-window rule ({@link Judgement#conclusive}, looked at every
 * {@link RolloutJudge#EARLY_EVERY} canary requests) to what it has sent, so it knows which
 * event tips the evidence, and stops the rollout's traffic there. All of a canary's requests share one series id, so the judge sees them in the
 * order they were sent.
 */
public final class VerdictBenchmark {

    /** Parameters of the run; {@code overrides} replace the app's settings (e.g. commit.interval.ms). */
    public record Settings(String bootstrapServers, int rollouts, int warmupRollouts, int concurrency,
                           Map<String, String> overrides) {
        public Settings(String bootstrapServers, int rollouts, int warmupRollouts, int concurrency) {
            this(bootstrapServers, rollouts, warmupRollouts, concurrency, Map.of());
        }
    }

    private static final AvroSerde<MetricEvent> EVENTS = AvroSerde.metricEvent();
    private static final int PARTITIONS = 6;
    private static final long REQUEST_INTERVAL_MS = 5;

    private final Settings settings;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, Long> seenNanos = new ConcurrentHashMap<>();

    public VerdictBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the benchmark; returns p50 and p99 of the verdict latency in milliseconds. */
    public double[] run() throws Exception {
        String prefix = "vbench-" + runId;
        Map<String, String> extra = new java.util.HashMap<>(Map.of(
                "rollcall.state.dir", Files.createTempDirectory("rollcall-vbench").toString(),
                "commit.interval.ms", "100"));
        extra.putAll(settings.overrides());
        RollcallConfig config = BenchConfig.isolated(settings.bootstrapServers(), prefix, extra);
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(config.eventsTopic(), PARTITIONS, (short) 1)));
        }
        AtomicBoolean reading = new AtomicBoolean(true);
        try (RollcallApp app = RollcallApp.start(config);
             RolloutWriter writer = new RolloutWriter(config);
             KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            Running.await(app, Duration.ofMinutes(2));
            Thread reader = new Thread(() -> readVerdicts(config, reading), "vbench-verdicts");
            reader.setDaemon(true);
            reader.start();
            out.printf("verdict bench: app, broker and clients in this JVM; commit.interval.ms %s, exactly_once_v2; "
                    + "%d rollouts (%d unreported warm-up), %d at a time, one canary request every %d ms each%n",
                    config.kafka().get("commit.interval.ms"), settings.rollouts(), settings.warmupRollouts(), settings.concurrency(), REQUEST_INTERVAL_MS);
            measure(writer, producer, config, "warm", settings.warmupRollouts(), null);
            Histogram histogram = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
            long started = System.nanoTime();
            measure(writer, producer, config, "run", settings.rollouts(), histogram);
            out.printf("%-36s %9s %9s %9s %9s %7s%n", "", "p50 ms", "p99 ms", "max ms", "min ms", "n");
            out.printf("%-36s %9.1f %9.1f %9.1f %9.1f %7d%n", "conclusive event -> ROLLBACK readable",
                    histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                    histogram.getMaxValue() / 1e6, histogram.getMinValue() / 1e6, histogram.getTotalCount());
            out.printf("(%d rollouts in %.1f s)%n", histogram.getTotalCount(), (System.nanoTime() - started) / 1e9);
            return new double[] {histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6};
        } finally {
            reading.set(false);
        }
    }

    private void measure(RolloutWriter writer, KafkaProducer<byte[], byte[]> producer, RollcallConfig config,
                         String label, int count, Histogram histogram) throws Exception {
        for (int first = 0; first < count; first += settings.concurrency()) {
            int batch = Math.min(settings.concurrency(), count - first);
            Rollout[] rollouts = new Rollout[batch];
            for (int i = 0; i < batch; i++) {
                rollouts[i] = new Rollout(label + "-" + (first + i), first + i);
                writer.put(rollouts[i].spec);
            }
            // Specs reach the sampler and the judge on their next tick (100 ms).
            Thread.sleep(500);
            boolean pending = true;
            while (pending) {
                pending = false;
                for (Rollout rollout : rollouts) {
                    if (rollout.conclusiveAtNanos == 0) {
                        rollout.sendNext(producer, config.eventsTopic());
                        pending = true;
                    }
                }
                producer.flush();
                Thread.sleep(REQUEST_INTERVAL_MS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Rollout rollout : rollouts) {
                Long seen;
                while ((seen = seenNanos.get(rollout.spec.getService())) == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no ROLLBACK verdict for " + rollout.spec.getService()
                                + " within 30 s of its conclusive event");
                    }
                    Thread.sleep(1);
                }
                if (histogram != null) {
                    histogram.recordValue(Math.max(0, seen - rollout.conclusiveAtNanos));
                }
            }
        }
    }

    /** One rollout's canary: 60 healthy requests, then failing ones until the evidence is conclusive. */
    private final class Rollout {
        final RolloutSpec spec;
        final long seriesId;
        final Random random;
        RoleStats canary = RoleStats.empty();
        long conclusiveAtNanos;

        Rollout(String name, int index) {
            String service = "svc-" + runId + "-" + name;
            spec = RolloutSpec.newBuilder()
                    .setRolloutId(service)
                    .setService(service)
                    .setBaselineRevision("stable")
                    .setCanaryRevision("canary")
                    .setSlos(List.of(Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(0.01).build()))
                    .setAnalysisWindow(60_000)
                    .setMinSamples(50)
                    .setFailureLimit(1)
                    .setSuccessWindows(3)
                    .setStartedAt(Instant.now().minusSeconds(1))
                    .build();
            seriesId = service.hashCode() * 0x9E3779B97F4A7C15L;
            random = new Random(index);
        }

        void sendNext(KafkaProducer<byte[], byte[]> producer, String topic) {
            boolean error = canary.count() >= 60 && random.nextDouble() < 0.5;
            double latency = 20 + random.nextDouble() * 30;
            MetricEvent event = MetricEvent.newBuilder().setId(seriesId).setName(spec.getMetric())
                    .setTimestamp(Instant.now()).setType(MetricType.TIMER).setValue(latency)
                    .setStatus(error ? 500 : 200)
                    .setLabels(Map.of("service", spec.getService(), "revision", "canary"))
                    .build();
            canary = canary.add(latency, error);
            // The judge looks at the open window every EARLY_EVERY canary requests, with no evidence before it.
            boolean conclusive = canary.count() % RolloutJudge.EARLY_EVERY == 0
                    && Judgement.conclusive(spec, new WindowStats(canary, RoleStats.empty()), List.of());
            long now = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, SeriesId.of(seriesId).toBytes(), EVENTS.serialize(event)));
            if (conclusive) {
                conclusiveAtNanos = now;
            }
        }
    }

    private void readVerdicts(RollcallConfig config, AtomicBoolean reading) {
        Properties props = config.kafkaProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "vbench-reader-" + runId);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        AvroSerde<RolloutVerdict> serde = AvroSerde.rolloutVerdict();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(config.rollouts().verdictsTopic()));
            while (reading.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    if (serde.deserialize(record.value()).getDecision() == Decision.ROLLBACK) {
                        seenNanos.putIfAbsent(record.key(), now);
                    }
                }
            }
        }
    }
}
