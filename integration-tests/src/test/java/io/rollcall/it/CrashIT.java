package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.config.RollcallConfig;
import io.rollcall.it.Instances.Instance;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricAggregate;
import io.rollcall.schema.avro.RolloutVerdict;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Exactly once through crashes: two instances (separate JVMs, one standby replica) while a
 * producer writes 300,000 events; each instance in turn is killed with SIGKILL at a random
 * point of the stream and started again on its state directory. At the end every
 * series' count and sum, every window's count and sum, and the aggregates topic
 * (read_committed) equal an independent ground truth, and the rollout judged meanwhile has
 * exactly one terminal verdict, last, and no window judged twice. The crash run happens
 * once; each method checks one of these properties on it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashIT {

    private static final int EVENTS = 300_000;
    private static final int SERIES = 5_000;
    private static final int RATE = 20_000;
    private static final int KILLS = 2;
    private static final String TOKEN = "crash-it-token-0123456789";

    private final Instance[] instances = new Instance[2];
    private final GroundTruth truth = new GroundTruth();
    private RollcallConfig config;

    @BeforeAll
    void ingestWhileKillingInstances() throws Exception {
        config = Fixtures.uniqueConfig("crash");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 6),
                compacted(config.aggregatesTopic(), 6), topic(config.deadLetterTopic(), 6)));
        Path[] stateDirs = {Files.createTempDirectory("rollcall-crash0"), Files.createTempDirectory("rollcall-crash1")};
        for (int i = 0; i < 2; i++) {
            instances[i] = start(config, i, stateDirs[i], 0);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> instances[0].ready() && instances[1].ready());
        HttpResponse<String> put = instances[0].put("/api/v1/rollouts/checkout", """
                {"rolloutId": "checkout-crash", "baselineRevision": "checkout-r41", "canaryRevision": "checkout-r42",
                 "analysisWindow": "8s", "minSamples": 20, "failureLimit": 3, "successWindows": 2,
                 "slos": [{"kind": "ERROR_RATE", "threshold": 0.05},
                          {"kind": "LATENCY", "quantile": 0.95, "maxRelativeIncrease": 1.0}]}""", TOKEN);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(202);

        CompletableFuture<GroundTruth> producing = CompletableFuture.supplyAsync(
                () -> GroundTruth.produce(config, EVENTS, SERIES, 77, RATE, truth));
        Random random = new Random(2026);
        for (int kill = 0; kill < KILLS; kill++) {
            // 3 to 7 seconds of the producer's rate after the previous restart, or at once when it is done.
            long killAt = Math.min(EVENTS, truth.events() + 3L * RATE + random.nextInt(4 * RATE));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> truth.events() >= killAt);
            killAndRestart(kill, kill % 2, stateDirs); // both instances die
        }
        producing.get(5, TimeUnit.MINUTES);
        Fixtures.awaitCommitted(config, EVENTS, Duration.ofMinutes(3));
    }

    private void killAndRestart(int kill, int victim, Path[] stateDirs) throws Exception {
        int port = instances[victim].port();
        instances[victim].kill();
        long restarted = System.nanoTime();
        // On its address, as a pod of the StatefulSet: the same static group member.
        instances[victim] = start(config, victim, stateDirs[victim], port);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(instances[victim]::ready);
        // 200 of the series, on every partition: both instances answer through the restarted one.
        List<Long> ids = truth.byId().keySet().stream().limit(200).toList();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> instances[victim].answersEvery(ids));
        System.out.printf("kill %d (instance %d): 200 series answered again by the restarted instance "
                + "%d ms after its restart began%n", kill + 1, victim, (System.nanoTime() - restarted) / 1_000_000);
    }

    @AfterAll
    void stop() throws InterruptedException {
        Instances.killAll(instances);
    }

    @Test
    void everyEventWasAcknowledgedDespiteTheCrashes() {
        assertThat(truth.events()).isEqualTo(EVENTS);
    }

    @Test
    void everySeriesHasTheCountAndSumOfTheGroundTruth() throws Exception {
        Map<Long, JsonNode> answers = instances[0].getAll(truth.byId().keySet(),
                series -> "/api/v1/metrics/" + SeriesId.of(series));
        for (Map.Entry<Long, GroundTruth.Series> entry : truth.byId().entrySet()) {
            String id = SeriesId.of(entry.getKey()).toString();
            JsonNode all = answers.get(entry.getKey());
            assertThat(all.get("count").asLong()).as("count of %s", id).isEqualTo(entry.getValue().count);
            assertThat(all.get("sum").asDouble()).as("sum of %s", id).isEqualTo(entry.getValue().sum);
        }
    }

    @Test
    void everyWindowOfEverySeriesHasTheCountAndSumOfTheGroundTruth() throws Exception {
        instances[0].assertServesTheWindowsOf(truth);
    }

    @Test
    void theAggregatesTopicHoldsTheFinalCountAndSumOfEverySeries() {
        AvroSerde<MetricAggregate> aggregates = AvroSerde.metricAggregate();
        Map<Long, MetricAggregate> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Fixtures.readAll(config, config.aggregatesTopic())) {
            latest.put(SeriesId.fromBytes(record.key()).bits(), aggregates.deserialize(record.value()));
        }
        assertThat(latest.keySet()).isEqualTo(truth.byId().keySet());
        assertSoftly(softly -> truth.byId().forEach((id, series) -> {
            softly.assertThat(latest.get(id).getCount()).as("topic count of %s", id).isEqualTo(series.count);
            softly.assertThat(latest.get(id).getSum()).as("topic sum of %s", id).isEqualTo(series.sum);
        }));
    }

    @Test
    void theRolloutHasExactlyOneTerminalVerdictAndItIsTheLast() {
        List<RolloutVerdict> verdicts = verdictsUntilTerminal();
        System.out.printf("verdicts through the crashes: %d (%s)%n", verdicts.size(), windows(verdicts));
        assertThat(verdicts.stream().filter(Fixtures::isTerminal).count()).isEqualTo(1);
        assertThat(verdicts.get(verdicts.size() - 1)).matches(Fixtures::isTerminal, "is terminal");
    }

    @Test
    void nothingFollowsTheTerminalVerdictWhileWindowsKeepClosing() {
        verdictsUntilTerminal();
        Fixtures.awaitNothingAfterTheTerminalVerdict(config, Duration.ofSeconds(10));
    }

    @Test
    void noWindowIsJudgedTwice() {
        assertThat(verdictsUntilTerminal()).extracting(RolloutVerdict::getWindow).doesNotHaveDuplicates();
    }

    /** The verdicts once the judge has reached a terminal one (every window closes on wall-clock time). */
    private List<RolloutVerdict> verdictsUntilTerminal() {
        List<RolloutVerdict> verdicts = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            verdicts.clear();
            verdicts.addAll(Fixtures.verdicts(config));
            assertThat(verdicts).as("verdicts so far: %s", windows(verdicts)).anyMatch(Fixtures::isTerminal);
        });
        return verdicts;
    }

    private static List<String> windows(List<RolloutVerdict> verdicts) {
        return verdicts.stream().map(v -> v.getWindow() + ":" + v.getDecision()).toList();
    }

    /** An instance on {@code port}, or on a free one when it is 0. */
    private static Instance start(RollcallConfig config, int index, Path stateDir, int port) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "rollcall.state.dir", stateDir.toString(),
                "rollcall.api.token", TOKEN,
                // The instances run behind the producer while they restart; a long grace lets
                // the judge see each window's samples before closing it (instead of HOLD).
                "rollcall.rollout.grace", "40s",
                "num.standby.replicas", "1",
                "num.stream.threads", "1",
                "session.timeout.ms", "6000",
                "heartbeat.interval.ms", "1500"));
        if (port > 0) {
            settings.put("rollcall.http.port", Integer.toString(port));
        }
        return Instances.start(config, "crash" + index, settings);
    }
}
