package io.rollcall.bench.quality;

import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.topology.RollcallTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * rollcall's own judge: the whole serving topology, at its default settings, in a
 * {@link TopologyTestDriver} whose wall clock the benchmark moves one tick at a time, so a
 * window closes without waiting for it. Rollouts go in as specs and requests, come out as
 * verdicts; nothing here knows how the judge decides.
 */
public final class TopologyJudge implements AutoCloseable {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final AvroSerde<MetricEvent> EVENTS = AvroSerde.metricEvent();
    private static final AvroSerde<RolloutSpec> SPECS = AvroSerde.rolloutSpec();

    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final TestInputTopic<String, byte[]> specs;
    private final TestOutputTopic<String, RolloutVerdict> verdicts;
    private final String verdictsTopic;
    private final long tick;
    private final long grace;
    private long now = T0;
    private long requests;

    public TopologyJudge() {
        try {
            stateDir = Files.createTempDirectory("rollcall-verdict-quality");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RollcallConfig config = RollcallConfig.of(Map.of(
                "bootstrap.servers", "unused:9092",
                "rollcall.state.dir", stateDir.toString()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "verdict-quality");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // One events partition: the driver runs one task per sub-topology, which then sees every service.
        driver = new TopologyTestDriver(RollcallTopology.build(config, 1), props, Instant.ofEpochMilli(T0));
        events = driver.createInputTopic(config.eventsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        specs = driver.createInputTopic(config.rollouts().specsTopic(), new StringSerializer(), new ByteArraySerializer());
        verdicts = driver.createOutputTopic(config.rollouts().verdictsTopic(), new StringDeserializer(),
                AvroSerde.rolloutVerdict().deserializer());
        verdictsTopic = config.rollouts().verdictsTopic();
        tick = config.rollouts().tick().toMillis();
        grace = config.rollouts().grace().toMillis();
    }

    /** Requests sent to the topology so far. */
    public long requests() {
        return requests;
    }

    /**
     * Runs rollouts {@code first} to {@code first + count - 1} of {@code scenario} side by side,
     * each until its terminal verdict or {@code cap} windows, and removes their specs after.
     */
    public List<Ending> run(Scenario scenario, int first, int count, ScenarioGenerator generator, int cap) {
        long windowMs = QualitySpec.standard().windowMs();
        // Specs reach the sampler and the judge on their next tick, before the first window opens.
        long start = ((now + tick) / windowMs + 1) * windowMs;
        List<Rollout> rollouts = new ArrayList<>(count);
        Map<String, Rollout> byId = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String service = slug(scenario.name()) + "-" + (first + i);
            Rollout rollout = new Rollout(first + i, QualitySpec.rollout(service, start));
            rollouts.add(rollout);
            byId.put(rollout.spec.getRolloutId(), rollout);
            specs.pipeInput(service, SPECS.serialize(rollout.spec), now);
        }
        for (int window = 0; window < cap && rollouts.stream().anyMatch(Rollout::active); window++) {
            List<Request> sent = requests(scenario, rollouts, generator, window, start + window * windowMs);
            long windowEnd = start + (window + 1) * windowMs;
            int next = 0;
            while (now < windowEnd) {
                long until = Math.min(now + tick, windowEnd);
                for (; next < sent.size() && sent.get(next).time < until; next++) {
                    Request request = sent.get(next);
                    if (request.rollout.active()) {
                        pipe(request);
                    }
                }
                advanceTo(until, byId);
            }
            discardOtherOutput();
        }
        if (rollouts.stream().anyMatch(Rollout::active)) {
            advanceTo(start + cap * windowMs + grace + tick, byId);
        }
        for (Rollout rollout : rollouts) {
            specs.pipeInput(rollout.spec.getService(), (byte[]) null, now);
        }
        advanceTo(now + tick, byId);
        return rollouts.stream().map(r -> r.ending == null ? Ending.undecided(cap) : r.ending).toList();
    }

    private static List<Request> requests(Scenario scenario, List<Rollout> rollouts, ScenarioGenerator generator,
                                          int window, long windowStart) {
        List<Request> sent = new ArrayList<>();
        for (Rollout rollout : rollouts) {
            if (!rollout.active()) {
                continue;
            }
            WindowSamples samples = generator.window(scenario, rollout.index, window);
            add(sent, rollout, rollout.canary, samples.canary(), samples.canaryOffsets(), windowStart);
            add(sent, rollout, rollout.baseline, samples.baseline(), samples.baselineOffsets(), windowStart);
        }
        sent.sort(Comparator.comparingLong(Request::time));
        return sent;
    }

    private static void add(List<Request> sent, Rollout rollout, Series series, RoleSamples samples, long[] offsets,
                            long windowStart) {
        for (int i = 0; i < samples.count(); i++) {
            sent.add(new Request(rollout, series, windowStart + offsets[i], samples.latencies()[i], samples.errors()[i]));
        }
    }

    private void pipe(Request request) {
        MetricEvent event = MetricEvent.newBuilder()
                .setId(request.series.id)
                .setName(request.rollout.spec.getMetric())
                .setTimestamp(Instant.ofEpochMilli(request.time))
                .setType(MetricType.TIMER)
                .setValue(request.latencyMs)
                .setStatus(request.error ? 503 : 200)
                .setLabels(request.series.labels)
                .build();
        events.pipeInput(SeriesId.of(request.series.id).toBytes(), EVENTS.serialize(event), request.time);
        requests++;
    }

    private void advanceTo(long time, Map<String, Rollout> byId) {
        while (now < time) {
            long step = Math.min(tick, time - now);
            now += step;
            driver.advanceWallClockTime(Duration.ofMillis(step));
            for (KeyValue<String, RolloutVerdict> verdict : verdicts.readKeyValuesToList()) {
                Rollout rollout = byId.get(verdict.value.getRolloutId());
                if (rollout != null && rollout.active()) {
                    rollout.end(verdict.value);
                }
            }
        }
    }

    /** The driver keeps every record the topology produces (aggregates, changelogs) until read: drop them. */
    private void discardOtherOutput() {
        for (String topic : driver.producedTopicNames()) {
            if (!topic.equals(verdictsTopic)) {
                driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
            }
        }
    }

    private static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One revision's series: its id and labels, as a pod of it would send them. */
    private record Series(long id, Map<String, String> labels) {
        static Series of(String service, String revision) {
            Map<String, String> labels = Map.of("service", service, "revision", revision, "pod", revision + "-0");
            byte[] name = (service + "/" + revision).getBytes(StandardCharsets.UTF_8);
            return new Series(UUID.nameUUIDFromBytes(name).getMostSignificantBits(), labels);
        }
    }

    private record Request(Rollout rollout, Series series, long time, double latencyMs, boolean error) {
    }

    private static final class Rollout {
        final int index;
        final RolloutSpec spec;
        final Series canary;
        final Series baseline;
        Ending ending;

        Rollout(int index, RolloutSpec spec) {
            this.index = index;
            this.spec = spec;
            this.canary = Series.of(spec.getService(), spec.getCanaryRevision());
            this.baseline = Series.of(spec.getService(), spec.getBaselineRevision());
        }

        boolean active() {
            return ending == null;
        }

        void end(RolloutVerdict verdict) {
            if (verdict.getDecision() == Decision.PROMOTE) {
                ending = Ending.promoted(verdict.getWindow() + 1);
            } else if (verdict.getDecision() == Decision.ROLLBACK) {
                ending = Ending.rolledBack(verdict.getWindow() + 1);
            }
        }
    }
}
