package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.config.RollcallConfig;
import io.rollcall.it.Instances.Instance;
import io.rollcall.query.Forwarder;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.KeyPartitioner;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three instances of rollcall, each a separate JVM, one standby replica: any instance
 * answers any id, the scan pages through every id exactly once, and after one instance is
 * killed (SIGKILL, no clean leave) every id is answered again — never a 500, never a wrong
 * value, 503 with Retry-After while a store cannot answer. The cluster is started once;
 * the kill happens after the methods of this class, in {@link AfterOneInstanceIsKilled}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryClusterIT {

    private static final int PARTITIONS = 6;
    private static final int SERIES = 600;
    private static final int EVENTS = 6_000;
    private static final String TOKEN = "cluster-it-token-0123456789";
    private static final List<String> SERVICES = List.of("checkout", "search", "payments", "catalog", "auth", "cart");

    private final List<Instance> instances = new ArrayList<>();
    private Map<Long, GroundTruth.Series> expected;

    @BeforeAll
    void startThreeInstancesWithDataAndRollouts() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("query-cluster");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), PARTITIONS),
                compacted(config.aggregatesTopic(), PARTITIONS), topic(config.deadLetterTopic(), PARTITIONS)));
        Map<String, String> overrides = Map.of(
                "rollcall.api.token", TOKEN,
                "num.standby.replicas", "1",
                "num.stream.threads", "1",
                // The broker's minimum; a killed instance leaves the group after 6 s, not 45 s.
                "session.timeout.ms", "6000",
                "heartbeat.interval.ms", "1500");
        for (int i = 0; i < 3; i++) {
            instances.add(Instances.start(config, "node" + i, overrides));
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> instances.stream().allMatch(Instance::ready) && clusterSize(instances.get(0)) == 3);
        expected = GroundTruth.produce(config, EVENTS, SERIES, 11).byId();
        Fixtures.awaitCommitted(config, EVENTS, Duration.ofMinutes(2));
        for (String service : SERVICES) {
            HttpResponse<String> put = instances.get(0).put("/api/v1/rollouts/" + service, """
                    {"rolloutId": "%s-1", "baselineRevision": "v1", "canaryRevision": "v2", "analysisWindow": "1h",
                     "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}""".formatted(service), TOKEN);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
        }
    }

    @AfterAll
    void stopInstances() throws InterruptedException {
        for (Instance instance : instances) {
            instance.process().destroy();
        }
        for (Instance instance : instances) {
            instance.process().waitFor(30, TimeUnit.SECONDS);
            instance.process().destroyForcibly();
        }
    }

    @Test
    void everyInstanceAnswersEveryIdIdenticallyWithItsCount() throws Exception {
        for (long id : expected.keySet()) {
            List<JsonNode> answers = new ArrayList<>();
            for (Instance instance : instances) {
                HttpResponse<String> response = instance.get("/api/v1/metrics/" + SeriesId.of(id));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                answers.add(withoutServed(Api.parse(response.body())));
            }
            assertThat(answers.get(0).get("count").asLong()).isEqualTo(expected.get(id).count);
            assertThat(answers).containsOnly(answers.get(0));
        }
    }

    @Test
    void theScanPagesThroughEveryIdOnceInUnsignedOrder() throws Exception {
        List<SeriesId> scanned = scanAll(instances.get(1), 47);
        assertThat(scanned).doesNotHaveDuplicates().isSorted().hasSize(expected.size());
        assertThat(scanned).containsExactlyElementsOf(expected.keySet().stream().map(SeriesId::of).sorted().toList());
    }

    @Test
    void aRolloutWrittenThroughOneInstanceIsServedByEvery() {
        for (String service : SERVICES) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (Instance instance : instances) {
                    JsonNode body = rolloutStatus(instance, service);
                    assertThat(body.get("rolloutId").asText()).isEqualTo(service + "-1");
                    assertThat(body.get("decision").asText()).isEqualTo("PENDING");
                }
            });
        }
    }

    @Test
    void everyInstanceRoutesEachRolloutToItsOneJudge() {
        for (String service : SERVICES) {
            assertThat(judgeOf(service)).as("the instance judging %s", service).isNotBlank();
        }
    }

    @Test
    void rolloutsAreJudgedOnMoreThanOneInstance() {
        Set<String> judges = new TreeSet<>();
        SERVICES.forEach(service -> judges.add(judgeOf(service)));
        assertThat(judges).as("six services spread over the judges of three instances").hasSizeGreaterThan(1);
    }

    @Test
    void everyInstanceListsEveryRollout() throws Exception {
        assertThat(Api.parse(instances.get(2).get("/api/v1/rollouts").body()).get("rollouts")).hasSize(SERVICES.size());
    }

    @Test
    void aForwardedRequestIsAnsweredFromLocalStoresAndNeverForwardedAgain() throws Exception {
        HttpResponse<String> guarded = instances.get(0).get("/api/v1/metrics/" + SeriesId.of(seriesOwnedBy(instances.get(2))),
                Forwarder.HEADER, "127.0.0.1:1");
        assertThat(guarded.statusCode()).as("not owned here, and not forwarded again").isEqualTo(503);
    }

    /** SIGKILL of the third instance, then every id asked of the survivors until they own everything. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AfterOneInstanceIsKilled {

        private final Map<Integer, Integer> statuses = new TreeMap<>();
        private final List<String> withoutRetryAfter = new ArrayList<>();
        private final List<String> wrongCounts = new ArrayList<>();
        private HttpResponse<String> fresh;
        private long staleBehind;
        private long staleAnswers;
        private long allAnsweredAfter = -1;
        private long noneStaleAfter = -1;

        @BeforeAll
        void killOneAndAskUntilTheSurvivorsOwnEverything() throws Exception {
            Instance victim = instances.get(2);
            long victimsId = seriesOwnedBy(victim);
            victim.process().destroyForcibly();
            long killed = System.nanoTime();
            fresh = instances.get(0).get("/api/v1/metrics/" + SeriesId.of(victimsId) + "?fresh=true");
            long deadline = killed + TimeUnit.SECONDS.toNanos(90);
            for (int round = 0; System.nanoTime() < deadline && noneStaleAfter < 0; round++) {
                askEveryId(instances.get(round % 2), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            }
            instances.remove(victim);
            System.out.printf("after SIGKILL of one of 3 instances: every id answered again after %d ms "
                    + "(standby or new owner); every id answered by an active owner after %d ms; statuses %s; "
                    + "answers from lagging standbys %d%n", allAnsweredAfter, noneStaleAfter, statuses, staleBehind);
        }

        private void askEveryId(Instance asked, long sinceKill) throws Exception {
            int answered = 0;
            int stale = 0;
            for (long id : expected.keySet()) {
                HttpResponse<String> response = asked.get("/api/v1/metrics/" + SeriesId.of(id));
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 200) {
                    JsonNode body = Api.parse(response.body());
                    checkCount(id, body);
                    answered++;
                    stale += body.get("stale").asBoolean() ? 1 : 0;
                } else if (response.headers().firstValue("Retry-After").isEmpty()) {
                    withoutRetryAfter.add(response.statusCode() + ": " + response.body());
                }
            }
            staleAnswers += stale;
            if (answered == expected.size() && allAnsweredAfter < 0) {
                allAnsweredAfter = sinceKill;
            }
            if (answered == expected.size() && stale == 0 && clusterSize(instances.get(0)) == 2) {
                noneStaleAfter = sinceKill;
            }
        }

        /** A lagging standby may be behind, and says so; it is never ahead. Any other answer is exact. */
        private void checkCount(long id, JsonNode body) {
            long count = body.get("count").asLong();
            long truth = expected.get(id).count;
            if (body.get("stale").asBoolean() && body.get("lagRecords").asLong() != 0) {
                staleBehind++;
                if (count <= 0 || count > truth) {
                    wrongCounts.add("stale count of " + SeriesId.of(id) + ": " + count + ", truth " + truth);
                }
            } else if (count != truth) {
                wrongCounts.add("count of " + SeriesId.of(id) + " after the kill: " + count + ", truth " + truth);
            }
        }

        @Test
        void aFreshReadOfTheKilledOwnersSeriesIsRefusedWithRetryAfter() {
            assertThat(fresh.statusCode()).as("fresh=true never falls back to a standby: %s", fresh.body()).isEqualTo(503);
            assertThat(fresh.headers().firstValue("Retry-After")).isPresent();
        }

        @Test
        void everyIdIsAnsweredAgain() {
            assertThat(allAnsweredAfter).as("every id answered again").isNotNegative();
        }

        @Test
        void ownershipMovesToTheSurvivors() {
            assertThat(noneStaleAfter).as("every id answered by an active owner of two instances").isNotNegative();
        }

        @Test
        void everyAnswerIsAValueOrA503WithRetryAfterNeverA500() {
            assertThat(statuses.keySet()).isSubsetOf(200, 503);
            assertThat(withoutRetryAfter).as("refusals without Retry-After").isEmpty();
        }

        @Test
        void standbyReplicasAnswerWhileTheOwnerIsAway() {
            assertThat(staleAnswers).as("answers served by standby replicas while the owner was away").isPositive();
        }

        @Test
        void theSurvivorsCountEveryStandbyAnswerTheyGaveInTheirMetrics() throws Exception {
            double counted = 0;
            for (Instance survivor : instances) {
                counted += PrometheusText.parse(survivor.get("/metrics").body()).value("rollcall_reads_stale_total");
            }
            assertThat(counted).isEqualTo((double) staleAnswers);
        }

        @Test
        void noAnswerIsAheadOfTheTruthAndOnlyALaggingStandbyIsBehind() {
            assertThat(wrongCounts).isEmpty();
        }

        @Test
        void theScanStillCoversEveryId() throws Exception {
            assertThat(scanAll(instances.get(0), 100)).as("scan after the kill").hasSize(expected.size());
        }
    }

    private String judgeOf(String service) {
        Set<String> servedBy = new TreeSet<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            servedBy.clear();
            for (Instance instance : instances) {
                servedBy.add(rolloutStatus(instance, service).get("servedBy").asText());
            }
            assertThat(servedBy).as("every instance routes %s to its judge", service).hasSize(1);
        });
        return servedBy.iterator().next();
    }

    private static JsonNode rolloutStatus(Instance instance, String service) throws Exception {
        HttpResponse<String> status = instance.get("/api/v1/rollouts/" + service);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        return Api.parse(status.body());
    }

    /** An id whose partition {@code owner} holds actively, as the first instance sees the cluster. */
    private long seriesOwnedBy(Instance owner) throws Exception {
        List<Integer> partitions = activePartitions(instances.get(0), owner);
        return expected.keySet().stream()
                .filter(id -> partitions.contains(KeyPartitioner.partition(SeriesId.of(id).toBytes(), PARTITIONS)))
                .findFirst().orElseThrow();
    }

    private static ObjectNode withoutServed(JsonNode node) {
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        copy.remove(List.of("servedBy", "stale", "lagRecords"));
        return copy;
    }

    private static List<Integer> activePartitions(Instance asked, Instance of) throws Exception {
        JsonNode body = Api.parse(asked.get("/api/v1/instances").body());
        for (JsonNode instance : body.get("instances")) {
            if (instance.get("instance").asText().endsWith(":" + of.port())) {
                List<Integer> out = new ArrayList<>();
                instance.get("activePartitions").forEach(p -> out.add(p.asInt()));
                return out;
            }
        }
        throw new AssertionError("instance on port " + of.port() + " not listed: " + body);
    }

    private static int clusterSize(Instance instance) {
        try {
            HttpResponse<String> response = instance.get("/api/v1/instances");
            return response.statusCode() == 200 ? Api.parse(response.body()).get("instances").size() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static List<SeriesId> scanAll(Instance instance, int limit) throws Exception {
        List<SeriesId> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            HttpResponse<String> response = instance.get("/api/v1/metrics?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = Api.parse(response.body());
            body.get("items").forEach(item -> out.add(SeriesId.parse(item.get("id").asText())));
            cursor = body.hasNonNull("nextCursor") ? body.get("nextCursor").asText() : null;
            if (cursor == null) {
                return out;
            }
        }
        throw new AssertionError("scan did not end within 1000 pages");
    }
}
