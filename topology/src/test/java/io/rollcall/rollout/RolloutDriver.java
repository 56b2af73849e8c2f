package io.rollcall.rollout;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rollcall.config.RollcallConfig;
import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.KeyPartitioner;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import io.rollcall.topology.RollcallTopology;
import io.rollcall.topology.StoreNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The whole topology in a {@link TopologyTestDriver} with a controllable wall clock, for rollout scenarios. */
final class RolloutDriver implements AutoCloseable {

    static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    static final long WINDOW = 10_000;
    static final long GRACE = 1_000;
    static final long IDLE = 500;
    static final long TICK = 100;

    private static final String SAMPLES_TOPIC = "rollout-test-rollout-samples-repartition";
    private static final AvroSerde<MetricEvent> EVENTS = AvroSerde.metricEvent();
    private static final AvroSerde<RolloutSpec> SPECS = AvroSerde.rolloutSpec();

    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final TestInputTopic<String, byte[]> rollouts;
    private final TestOutputTopic<String, RolloutVerdict> verdicts;
    private final TestInputTopic<String, Sampled> samples;
    private final TestOutputTopic<String, Sampled> samplesOut;
    private final int partitions;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private long now = T0;

    /** One partition: the driver runs one task, which must own every service. */
    RolloutDriver(Path stateDir) {
        this(stateDir, 1);
    }

    /**
     * The driver runs one task: the sampler of events partition 0, and the judge of samples
     * partition 0 (so of the services {@link #serviceOnPartitionZero} names). The other
     * partitions' samplers are played by {@link #sampled} and {@link #progress}.
     */
    RolloutDriver(Path stateDir, int partitions) {
        this(stateDir, partitions, Map.of(), Optional.empty());
    }

    /** With more settings, and the schema registry the topology is handed (when they name one). */
    RolloutDriver(Path stateDir, int partitions, Map<String, String> settings,
                  Optional<RollcallTopology.Registry> registry) {
        this.partitions = partitions;
        Map<String, String> all = new HashMap<>(Map.of(
                "bootstrap.servers", "unused:9092",
                "rollcall.state.dir", stateDir.toString(),
                "rollcall.rollout.grace", GRACE + "ms",
                "rollcall.rollout.tick", TICK + "ms",
                "rollcall.rollout.idle", IDLE + "ms"));
        all.putAll(settings);
        RollcallConfig config = RollcallConfig.of(all);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rollout-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(RollcallTopology.build(config, partitions, registry,
                new PipelineMetrics(meters)), props,
                Instant.ofEpochMilli(T0));
        events = driver.createInputTopic("metric-events", new ByteArraySerializer(), new ByteArraySerializer());
        rollouts = driver.createInputTopic("rollouts", new StringSerializer(), new ByteArraySerializer());
        samples = driver.createInputTopic(SAMPLES_TOPIC, new StringSerializer(), Sampled.serde().serializer());
        samplesOut = driver.createOutputTopic(SAMPLES_TOPIC, new StringDeserializer(), Sampled.serde().deserializer());
        verdicts = driver.createOutputTopic("rollout-verdicts", new StringDeserializer(),
                AvroSerde.rolloutVerdict().deserializer());
    }

    static Slo latency(double quantile, Double thresholdMs, Double maxRelativeIncrease) {
        return Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(quantile).setThreshold(thresholdMs)
                .setMaxRelativeIncrease(maxRelativeIncrease).build();
    }

    static Slo errorRate(Double threshold, Double maxRelativeIncrease) {
        return Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(threshold)
                .setMaxRelativeIncrease(maxRelativeIncrease).build();
    }

    /** One SLO, written as on the command line, judged over one window at 95 % confidence, as the first. */
    static io.rollcall.schema.avro.SloResult judge(String slo, RoleStats canary, RoleStats baseline) {
        Slo spec = SloRule.parse(slo).toAvro();
        return Judgement.judge(spec("checkout", spec).build(), new WindowStats(canary, baseline), List.of()).slos().get(0);
    }

    /** A spec with the test defaults: 10 s windows from T0, 50 samples, 2 failures, 3 successes. */

    static RolloutSpec.Builder spec(String service, Slo... slos) {
        return RolloutSpec.newBuilder()
                .setRolloutId(service + "-r1")
                .setService(service)
                .setBaselineRevision("v1")
                .setCanaryRevision("v2")
                .setSlos(List.of(slos))
                .setAnalysisWindow(WINDOW)
                .setMinSamples(50)
                .setFailureLimit(2)
                .setSuccessWindows(3)
                .setStartedAt(Instant.ofEpochMilli(T0));
    }

    /** Writes a spec and lets one tick pass: processors see specs from their next tick on. */
    void put(RolloutSpec... specs) {
        for (RolloutSpec spec : specs) {
            rollouts.pipeInput(spec.getService(), SPECS.serialize(spec), now);
        }
        advanceTo(now + 100);
    }

    void remove(String service) {
        rollouts.pipeInput(service, (byte[]) null, now);
        advanceTo(now + 100);
    }

    /** One request of {@code service} at event time {@code time}. */
    void request(String service, String revision, long time, double latencyMs, boolean error) {
        long id = seriesId(service, revision);
        MetricEvent event = MetricEvent.newBuilder()
                .setId(id)
                .setName("http.server.requests")
                .setTimestamp(Instant.ofEpochMilli(time))
                .setType(MetricType.TIMER)
                .setValue(latencyMs)
                .setStatus(error ? 503 : 200)
                .setLabels(Map.of("service", service, "revision", revision, "pod", revision + "-0"))
                .build();
        events.pipeInput(SeriesId.of(id).toBytes(), EVENTS.serialize(event), time);
    }

    /**
     * {@code n} requests spread evenly over window {@code index}: log-normal latencies with
     * the given median and σ = 0.5 (p95 ≈ 2.28 × median), each an error with probability
     * {@code errorRate}.
     */
    void traffic(String service, String revision, int index, int n, double medianMs, double errorRate, Random random) {
        long start = T0 + index * WINDOW;
        for (int i = 0; i < n; i++) {
            double latency = medianMs * Math.exp(0.5 * random.nextGaussian());
            request(service, revision, start + i * (WINDOW - 1) / n, latency, random.nextDouble() < errorRate);
        }
    }

    /**
     * Moves the wall clock past window {@code index}'s end plus grace plus idle time (when a
     * quiet partition's event time has passed its end plus grace), and two ticks more: one
     * for the sampler to report its progress, one for the judge to close the window.
     */
    void closeWindow(int index) {
        advanceTo(T0 + (index + 1) * WINDOW + GRACE + IDLE + 2 * TICK);
    }

    /** A sample of {@code service} as the sampler of another partition of the events topic sends it. */
    void sampled(String service, Sample sample) {
        samples.pipeInput(service, sample, now);
    }

    /** The progress of another partition of the events topic, as its sampler reports it. */
    void progress(int partition, long eventTime) {
        samples.pipeInput(RolloutSampler.PROGRESS_KEY, new Progress(partition, eventTime), now);
    }

    /** The progress the driver's sampler (of partition 0) reported since the last call. */
    List<Progress> progressReports() {
        return samplesOut.readValuesToList().stream()
                .filter(Progress.class::isInstance).map(Progress.class::cast).toList();
    }

    /** A service name the driver's one judge task owns. */
    String serviceOnPartitionZero(String prefix) {
        for (int i = 0; ; i++) {
            String service = prefix + "-" + i;
            if (KeyPartitioner.partition(service.getBytes(StandardCharsets.UTF_8), partitions) == 0) {
                return service;
            }
        }
    }

    /** Samples the judge dropped as late for {@code service}'s rollout. */
    long lateSamples(String service) {
        KeyValueStore<String, JudgeState> judges = driver.getKeyValueStore(StoreNames.ROLLOUT_JUDGES);
        return judges.get(service).late();
    }

    void advanceTo(long time) {
        while (now < time) {
            long step = Math.min(100, time - now);
            now += step;
            driver.advanceWallClockTime(Duration.ofMillis(step));
        }
    }

    long now() {
        return now;
    }

    List<RolloutVerdict> verdicts() {
        return verdicts.readValuesToList();
    }

    /** The meters the topology's processors record into. */
    SimpleMeterRegistry meters() {
        return meters;
    }

    TopologyTestDriver driver() {
        return driver;
    }

    private static long seriesId(String service, String revision) {
        byte[] bytes = (service + "/" + revision).getBytes(StandardCharsets.UTF_8);
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }

    @Override
    public void close() {
        driver.close();
    }
}
