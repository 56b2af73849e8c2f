package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.config.RollcallConfig;
import io.rollcall.it.Instances.Instance;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.MetricAggregate;
import io.rollcall.schema.avro.RolloutVerdict;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly once through crashes: two instances (separate JVMs, one standby replica) while a
 * producer writes 500,000 events; three times an instance is killed with SIGKILL at a
 * random moment and started again on its state directory. At the end every series' count
 * and sum, every window's count and sum, and the aggregates topic (read_committed) equal
 * an independent ground truth, and the rollout judged meanwhile has exactly one terminal
 * verdict, last, and no window judged twice.
 */
class CrashIT {

    private static final int EVENTS = 500_000;
    private static final int SERIES = 5_000;
    private static final int RATE = 20_000;
    private static final int KILLS = 3;
    private static final String TOKEN = "crash-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Instance[] instances = new Instance[2];

    @AfterEach
    void stop() throws InterruptedException {
        for (Instance instance : instances) {
            if (instance != null) {
                instance.process().destroyForcibly();
                instance.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Instance start(RollcallConfig config, int index, Path stateDir) throws Exception {
        return Instances.start(config, "crash" + index, Map.of(
                "rollcall.state.dir", stateDir.toString(),
                "rollcall.api.token", TOKEN,
                // The instances run behind the producer while they restart; a long grace lets
                // the judge see each window's samples before closing it (instead of HOLD).
                "rollcall.rollout.grace", "40s",
                "num.standby.replicas", "1",
                "num.stream.threads", "1",
                "session.timeout.ms", "6000",
                "heartbeat.interval.ms", "1500"));
    }

    @Test
    void killedThreeTimesWhileIngestingAndStillExact() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("crash");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 6),
                compacted(config.aggregatesTopic(), 6), topic(config.deadLetterTopic(), 6)));
        Path[] stateDirs = {Files.createTempDirectory("rollcall-crash0"), Files.createTempDirectory("rollcall-crash1")};
        for (int i = 0; i < 2; i++) {
            instances[i] = start(config, i, stateDirs[i]);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> instances[0].ready() && instances[1].ready());
        HttpResponse<String> put = instances[0].put("/api/v1/rollouts/checkout", """
                {"rolloutId": "checkout-crash", "baselineRevision": "checkout-r41", "canaryRevision": "checkout-r42",
                 "analysisWindow": "8s", "minSamples": 20, "failureLimit": 3, "successWindows": 2,
                 "slos": [{"kind": "ERROR_RATE", "threshold": 0.05},
                          {"kind": "LATENCY", "quantile": 0.95, "maxRelativeIncrease": 1.0}]}""", TOKEN);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(202);

        GroundTruth truth = new GroundTruth();
        CompletableFuture<GroundTruth> producing = CompletableFuture.supplyAsync(
                () -> GroundTruth.produce(config, EVENTS, SERIES, 77, RATE, truth));
        Random random = new Random(2026);
        List<String> restarts = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            Thread.sleep(3_000 + random.nextInt(4_000));
            int victim = kill % 2; // both instances die, at random moments
            instances[victim].process().destroyForcibly();
            instances[victim].process().waitFor(30, TimeUnit.SECONDS);
            long restarted = System.nanoTime();
            instances[victim] = start(config, victim, stateDirs[victim]);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(instances[victim]::ready);
            List<Long> ids = new ArrayList<>(truth.byId().keySet());
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> everyIdAnswered(instances[victim], ids));
            restarts.add(String.format("kill %d (instance %d): every id answered again by the restarted instance "
                    + "%d ms after its restart began", kill + 1, victim, (System.nanoTime() - restarted) / 1_000_000));
        }
        producing.get(5, TimeUnit.MINUTES);
        assertThat(truth.events()).isEqualTo(EVENTS);
        Fixtures.awaitCommitted(config, EVENTS, Duration.ofMinutes(3));
        restarts.forEach(System.out::println);

        // Every series, all-time and per window, equals the ground truth.
        Instance asked = instances[0];
        for (Map.Entry<Long, GroundTruth.Series> entry : truth.byId().entrySet()) {
            String id = SeriesId.of(entry.getKey()).toString();
            JsonNode all = JSON.readTree(asked.get("/api/v1/metrics/" + id).body());
            assertThat(all.get("count").asLong()).as("count of %s", id).isEqualTo(entry.getValue().count);
            assertThat(all.get("sum").asDouble()).as("sum of %s", id).isEqualTo(entry.getValue().sum);
            Map<Long, double[]> expected = truth.windowsOf(entry.getKey());
            long from = expected.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
            long to = expected.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            JsonNode windows = JSON.readTree(asked.get("/api/v1/metrics/" + id + "/windows?from=" + from + "&to=" + to)
                    .body()).get("windows");
            Map<Long, double[]> actual = new HashMap<>();
            windows.forEach(w -> actual.put(Instant.parse(w.get("windowStart").asText()).toEpochMilli(),
                    new double[] {w.get("count").asDouble(), w.get("sum").asDouble()}));
            assertThat(actual.keySet()).as("windows of %s", id).isEqualTo(expected.keySet());
            expected.forEach((start, cs) -> assertThat(actual.get(start)).as("window %d of %s", start, id)
                    .containsExactly(cs));
        }

        // The aggregates topic holds the same final values.
        AvroSerde<MetricAggregate> aggregates = AvroSerde.metricAggregate();
        Map<Long, MetricAggregate> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Fixtures.readAll(config, config.aggregatesTopic())) {
            latest.put(SeriesId.fromBytes(record.key()).bits(), aggregates.deserialize(record.value()));
        }
        assertThat(latest.keySet()).isEqualTo(truth.byId().keySet());
        truth.byId().forEach((id, series) -> {
            assertThat(latest.get(id).getCount()).as("topic count of %s", id).isEqualTo(series.count);
            assertThat(latest.get(id).getSum()).as("topic sum of %s", id).isEqualTo(series.sum);
        });

        // The rollout judged through the crashes: one terminal verdict, no window judged twice.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> Fixtures.verdicts(config)
                .stream().anyMatch(v -> v.getDecision() == Decision.PROMOTE || v.getDecision() == Decision.ROLLBACK));
        Thread.sleep(10_000); // windows keep closing: nothing may follow the terminal verdict
        List<RolloutVerdict> verdicts = Fixtures.verdicts(config);
        long terminal = verdicts.stream()
                .filter(v -> v.getDecision() == Decision.PROMOTE || v.getDecision() == Decision.ROLLBACK).count();
        System.out.printf("verdicts through the crashes: %d, terminal %d (%s)%n", verdicts.size(), terminal,
                verdicts.stream().map(v -> v.getWindow() + ":" + v.getDecision()).toList());
        assertThat(terminal).isEqualTo(1);
        assertThat(verdicts.get(verdicts.size() - 1).getDecision()).isIn(Decision.PROMOTE, Decision.ROLLBACK);
        assertThat(verdicts).extracting(RolloutVerdict::getWindow).doesNotHaveDuplicates();
    }

    /** Whether {@code instance} answers 200 for every id (answers may still lag the producer). */
    private static boolean everyIdAnswered(Instance instance, List<Long> ids) {
        try {
            for (long id : ids) {
                if (instance.get("/api/v1/metrics/" + SeriesId.of(id)).statusCode() != 200) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
