package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.app.Offsets;
import io.rollcall.config.RollcallConfig;
import io.rollcall.it.Instances.Instance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the first instance logs through a normal rebalance: alone with one standby replica asked
 * for, then joined by a second instance while events flow, which takes over active tasks that the
 * first keeps as standbys (under exactly-once, without checkpoint). Expected events are one
 * warning each, with no ERROR and no stack trace. One run; the methods check the first
 * instance's log, and that the joining one owns active partitions once it is ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebalanceLogsIT {

    private static final int EVENTS = 40_000;
    private static final int RATE = 2_000;
    private static final String RUNNING = "REBALANCING -> RUNNING";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Instance[] instances = new Instance[2];
    private List<String> firstLog;
    /** The joining instance's active partitions as it says once it is ready. */
    private JsonNode joinedActive;

    @BeforeAll
    void secondInstanceJoinsWhileEventsFlow() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("rebalance-logs");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 3),
                compacted(config.aggregatesTopic(), 3), topic(config.deadLetterTopic(), 3)));
        Map<String, String> settings = Map.of(
                // Off, a task's store after a rebalance has no checkpoint under exactly-once (see RecoveryLogsIT).
                "enable.transactional.statestores", "false",
                "num.standby.replicas", "1",
                "num.stream.threads", "1");
        instances[0] = Instances.start(config, "rebalance-logs0", settings);
        await().atMost(Duration.ofMinutes(2)).until(() -> instances[0].ready());
        CompletableFuture<GroundTruth> producing = CompletableFuture.supplyAsync(
                () -> GroundTruth.produce(config, EVENTS, 1_000, 13, RATE, new GroundTruth()));
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Offsets.committed(admin, config.applicationId(), config.eventsTopic()) >= 5 * RATE);
        }
        int linesBeforeJoin = ServeLog.lines(instances[0].log()).size();

        instances[1] = Instances.start(config, "rebalance-logs1", settings);
        await().atMost(Duration.ofMinutes(3)).until(() -> instances[1].ready() && runningAgain(linesBeforeJoin));
        for (JsonNode member : JSON.readTree(instances[1].get("/api/v1/instances").body()).get("instances")) {
            if (member.get("self").asBoolean()) {
                joinedActive = member.get("activePartitions");
            }
        }
        producing.get(2, TimeUnit.MINUTES);
        firstLog = ServeLog.lines(instances[0].log());
    }

    /** Whether the first instance has turned RUNNING since the join began. */
    private boolean runningAgain(int linesBeforeJoin) {
        return ServeLog.lines(instances[0].log()).stream().skip(linesBeforeJoin)
                .anyMatch(line -> line.contains(RUNNING));
    }

    @AfterAll
    void stop() throws InterruptedException {
        Instances.killAll(instances);
    }

    @Test
    void noLineIsAnError() {
        assertThat(firstLog).noneMatch(ServeLog::isError);
    }

    @Test
    void noStackTraceIsLogged() {
        assertThat(firstLog).noneMatch(ServeLog::isStackTrace);
    }

    @Test
    void theInstanceAloneSaysItHasTooFewPeersForItsStandbys() {
        assertThat(firstLog).anyMatch(line -> line.contains(" WARN ") && line.contains(
                "num.standby.replicas=1 needs at least 2 instances"));
    }

    @Test
    void kafkaStreamsPerTaskStandbyWarningsAreLeftOut() {
        assertThat(firstLog).noneMatch(line -> line.contains("Unable to assign"));
    }

    @Test
    void theJoiningInstanceOwnsActivePartitionsAsSoonAsItIsReady() {
        assertThat(joinedActive).as("active partitions of the joined instance").isNotNull().isNotEmpty();
    }
}
