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
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutVerdict;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A rolling upgrade as a StatefulSet does it: two instances of the previous release (separate
 * JVMs, one standby replica) aggregate a stream of events and judge a rollout; then, while
 * events keep flowing and queries keep coming, each is stopped in turn and replaced by the
 * current build on the same state directory and port, waiting for the replacement to be ready
 * before the next. Afterwards every series and window equals an independent ground truth, the
 * dead-letter topic is empty, the rollout the old release started ends with exactly one
 * terminal verdict from the new build, every query was answered 200 or 503 with Retry-After,
 * and the previous release's readers read everything the new build wrote to the output topics.
 * The upgrade runs once; each method checks one property of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollingUpgradeIT {

    private static final int SERIES = 1_000;
    private static final int RATE = 5_000;
    /** Events per producer run; runs follow each other until the upgrade is over. */
    private static final int BATCH = 2 * RATE;
    private static final String TOKEN = "upgrade-it-token-0123456789";
    private static final String SERVICE = "cart";

    private final Instance[] instances = new Instance[2];
    private final Path[] stateDirs = new Path[2];
    private final GroundTruth truth = new GroundTruth();
    private final Queries queries = new Queries();
    private RollcallConfig config;
    /** Where the output topics stood when the last old instance stopped: the new build wrote all after. */
    private Map<TopicPartition, Long> upgradedAt;

    @BeforeAll
    void upgradeWhileEventsFlow() throws Exception {
        System.out.printf("upgrading from rollcall %s%n", PreviousRelease.version());
        config = Fixtures.uniqueConfig("upgrade");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 6),
                compacted(config.aggregatesTopic(), 6), topic(config.deadLetterTopic(), 6)));
        for (int i = 0; i < 2; i++) {
            stateDirs[i] = Files.createTempDirectory("rollcall-upgrade" + i);
            instances[i] = start(PreviousRelease.program(), i, 0);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> instances[0].ready() && instances[1].ready());
        HttpResponse<String> put = instances[0].put("/api/v1/rollouts/" + SERVICE, """
                {"rolloutId": "cart-upgrade", "baselineRevision": "v1", "canaryRevision": "v2",
                 "analysisWindow": "5s", "minSamples": 20, "failureLimit": 2, "successWindows": 1000,
                 "slos": [{"kind": "ERROR_RATE", "threshold": 0.05}]}""", TOKEN);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(202);

        try (CanaryTraffic canary = new CanaryTraffic(config, SERVICE)) {
            AtomicBoolean upgraded = new AtomicBoolean();
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                while (!upgraded.get()) {
                    GroundTruth.produce(config, BATCH, SERIES, 18, RATE, truth);
                }
            });
            // The old release has aggregated and judged for a while before the first instance goes.
            await().atMost(Duration.ofMinutes(2)).until(() -> truth.events() >= 3L * RATE
                    && !Fixtures.verdicts(config).isEmpty());
            List<Long> known = truth.byId().keySet().stream().limit(200).toList();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> instances[0].answersEvery(known));
            queries.add(instances[0]);
            queries.add(instances[1]);
            queries.start(known);
            replace(0);
            long afterFirst = truth.events();
            await().atMost(Duration.ofMinutes(2)).until(() -> truth.events() >= afterFirst + 2L * RATE);
            replace(1);
            upgradedAt = endOffsets(List.of(config.aggregatesTopic(), config.rollouts().verdictsTopic()));

            canary.canaryErrorRate.set(0.5);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Fixtures.verdicts(config).stream().anyMatch(Fixtures::isTerminal));
            upgraded.set(true);
            producing.get(1, TimeUnit.MINUTES);
        }
        long sent = endOffsets(List.of(config.eventsTopic())).values().stream().mapToLong(Long::longValue).sum();
        Fixtures.awaitCommitted(config, sent, Duration.ofMinutes(3));
        queries.stop();
        System.out.printf("events aggregated across the upgrade: %,d of %,d series (and the canary's)%n",
                truth.events(), truth.byId().size());
    }

    /** Stops instance {@code i} the way Kubernetes does (out of the Service, then SIGTERM) and starts the current build. */
    private void replace(int i) throws Exception {
        queries.remove(instances[i]);
        instances[i].process().destroy();
        assertThat(instances[i].process().waitFor(60, TimeUnit.SECONDS)).as("old instance %d stopped", i).isTrue();
        instances[i] = start(List.of("-jar", Instances.JAR.toString()), i, instances[i].port());
        long started = System.nanoTime();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(instances[i]::ready);
        System.out.printf("instance %d on the current build: ready %d ms after it started%n", i,
                (System.nanoTime() - started) / 1_000_000);
        queries.add(instances[i]);
    }

    @AfterAll
    void stop() throws InterruptedException {
        queries.stop();
        for (Instance instance : instances) {
            if (instance != null) {
                instance.process().destroy();
                instance.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void everySeriesHasTheAggregateOfTheGroundTruth() throws Exception {
        for (Map.Entry<Long, GroundTruth.Series> entry : truth.byId().entrySet()) {
            String id = SeriesId.of(entry.getKey()).toString();
            JsonNode all = Api.parse(instances[0].get("/api/v1/metrics/" + id).body());
            GroundTruth.Series expected = entry.getValue();
            assertSoftly(softly -> {
                softly.assertThat(all.get("count").asLong()).as("count of %s", id).isEqualTo(expected.count);
                softly.assertThat(all.get("sum").asDouble()).as("sum of %s", id).isEqualTo(expected.sum);
                softly.assertThat(all.get("min").asDouble()).as("min of %s", id).isEqualTo(expected.min);
                softly.assertThat(all.get("max").asDouble()).as("max of %s", id).isEqualTo(expected.max);
                softly.assertThat(all.get("errorCount").asLong()).as("errors of %s", id).isEqualTo(expected.errors);
            });
        }
    }

    @Test
    void everyWindowOfEverySeriesHasTheCountAndSumOfTheGroundTruth() throws Exception {
        instances[1].assertServesTheWindowsOf(truth);
    }

    @Test
    void nothingWasDeadLettered() {
        assertThat(Fixtures.readAll(config, config.deadLetterTopic())).isEmpty();
    }

    @Test
    void theRolloutStartedOnTheOldReleaseEndsInOneRollbackFromTheNewBuild() {
        List<ConsumerRecord<byte[], byte[]>> records = Fixtures.readAll(config, config.rollouts().verdictsTopic());
        AvroSerde<RolloutVerdict> serde = AvroSerde.rolloutVerdict();
        List<RolloutVerdict> terminal = records.stream().map(r -> serde.deserialize(r.value()))
                .filter(Fixtures::isTerminal).toList();
        assertThat(terminal).extracting(RolloutVerdict::getDecision).containsExactly(Decision.ROLLBACK);
        ConsumerRecord<byte[], byte[]> last = records.get(records.size() - 1);
        assertThat(serde.deserialize(last.value())).as("the last verdict").matches(Fixtures::isTerminal, "is terminal");
        assertThat(last.offset()).as("written after the upgrade")
                .isGreaterThanOrEqualTo(upgradedAt.get(new TopicPartition(last.topic(), last.partition())));
    }

    @Test
    void noWindowIsJudgedTwiceAcrossTheUpgrade() {
        assertThat(Fixtures.verdicts(config)).extracting(RolloutVerdict::getWindow).doesNotHaveDuplicates();
    }

    @Test
    void everyQueryWasAnsweredOkOrUnavailableWithRetryAfter() {
        System.out.printf("queries during the upgrade: %s%n", queries.outcomes);
        assertThat(queries.outcomes.getOrDefault("200", new AtomicLong()).get()).as("queries answered 200")
                .isPositive();
        assertThat(queries.unexpected).isEmpty();
    }

    @Test
    void thePreviousReleaseReadsEveryAggregateTheNewBuildWrote() {
        assertReadByThePreviousRelease(config.aggregatesTopic(), "metricAggregate", AvroSerde.metricAggregate());
    }

    @Test
    void thePreviousReleaseReadsEveryVerdictTheNewBuildWrote() {
        assertReadByThePreviousRelease(config.rollouts().verdictsTopic(), "rolloutVerdict", AvroSerde.rolloutVerdict());
    }

    /** Every record written after the upgrade reads, by the previous release, to the fields it has. */
    private void assertReadByThePreviousRelease(String topic, String serdeFactory, AvroSerde<?> current) {
        Function<byte[], Map<String, String>> previous = PreviousRelease.reader(serdeFactory);
        List<ConsumerRecord<byte[], byte[]>> written = Fixtures.readAll(config, topic).stream()
                .filter(r -> r.offset() >= upgradedAt.get(new TopicPartition(r.topic(), r.partition()))).toList();
        assertThat(written).as("records the new build wrote to %s", topic).isNotEmpty();
        for (ConsumerRecord<byte[], byte[]> record : written) {
            Map<String, String> now = PreviousRelease.fields(current.deserialize(record.value()));
            Map<String, String> before = previous.apply(record.value());
            before.forEach((field, value) -> assertThat(value).as("%s at %d: %s", topic, record.offset(), field)
                    .isEqualTo(now.get(field)));
        }
    }

    private Instance start(List<String> program, int index, int port) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "rollcall.state.dir", stateDirs[index].toString(),
                "rollcall.api.token", TOKEN,
                "group.instance.id", "upgrade-" + index, // as a StatefulSet pod's name: static membership
                "num.standby.replicas", "1",
                "num.stream.threads", "1",
                "session.timeout.ms", "6000",
                "heartbeat.interval.ms", "1500"));
        if (port > 0) {
            settings.put("rollcall.http.port", Integer.toString(port)); // a pod keeps its address
        }
        return Instances.start(program, config, "upgrade" + index, settings);
    }

    private Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var description : admin.describeTopics(topics).allTopicNames().get().values()) {
                description.partitions().forEach(p ->
                        latest.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            return end;
        }
    }

    /**
     * Queries for known series, one after another, to the instances in service (as a Service
     * routes to ready pods); remembers the answers by status and any that is neither 200 nor 503
     * with Retry-After.
     */
    private static final class Queries {
        final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final List<Instance> inService = new CopyOnWriteArrayList<>();
        private final AtomicLong rounds = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        void start(List<Long> ids) {
            running = true;
            Random random = new Random(5);
            thread = new Thread(() -> {
                while (running) {
                    for (Instance instance : inService) {
                        ask(instance, ids.get(random.nextInt(ids.size())));
                    }
                    rounds.incrementAndGet();
                }
            }, "upgrade-queries");
            thread.setDaemon(true);
            thread.start();
        }

        void add(Instance instance) {
            inService.add(instance);
        }

        /** Out of service once no query to it is in flight. */
        void remove(Instance instance) {
            inService.remove(instance);
            long round = rounds.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> !running || rounds.get() > round + 1);
        }

        private void ask(Instance instance, long id) {
            String outcome;
            try {
                HttpResponse<String> response = instance.get("/api/v1/metrics/" + SeriesId.of(id));
                outcome = Integer.toString(response.statusCode());
                boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
                if (response.statusCode() != 200 && !(response.statusCode() == 503 && retryAfter)) {
                    unexpected.add(instance.port() + " " + outcome + " " + response.body());
                }
            } catch (Exception e) {
                outcome = e.getClass().getSimpleName();
                unexpected.add(instance.port() + " " + e);
            }
            outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join(30_000);
            }
        }
    }
}
