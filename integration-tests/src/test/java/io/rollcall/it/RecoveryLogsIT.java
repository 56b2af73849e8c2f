package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollcall.app.Offsets;
import io.rollcall.config.RollcallConfig;
import io.rollcall.it.Instances.Instance;
import io.rollcall.topology.StoreNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@code rollcall serve} logs when it starts again after a SIGKILL under exactly-once: Kafka
 * Streams discards the local state of every task that held some and restores it from the
 * changelogs, an expected recovery that the log reports in one warning per task, with no ERROR
 * and no stack trace. The instance is killed while events flow and started again on its state
 * directory once; each method checks the second run's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryLogsIT {

    private static final int EVENTS = 60_000;
    private static final int RATE = 2_000;
    private static final String RUNNING = "REBALANCING -> RUNNING";
    /** rollcall's line for one task, console layout: "… WARN  [thread] logger - task 0_1: local state left by …". */
    private static final Pattern RECOVERY = Pattern.compile(
            ".* (?<level>[A-Z]+) +\\[[^\\]]*\\] \\S+ - task (?<task>\\S+): local state left by an unclean stop.*");
    private static final Pattern RESTORED = Pattern.compile(".* - restored state: (?<records>[\\d,]+) records .*");

    private Instance instance;
    /** Tasks that held aggregates when the instance was killed, read from the state directory. */
    private List<String> aggregatingTasks;
    private List<String> restartLog;

    @BeforeAll
    void killWhileEventsFlowAndStartAgainOnTheSameState() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("recovery-logs");
        Path stateDir = Files.createTempDirectory("rollcall-recovery-logs");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 3),
                compacted(config.aggregatesTopic(), 3), topic(config.deadLetterTopic(), 3)));
        Map<String, String> settings = Map.of(
                "rollcall.state.dir", stateDir.toString(),
                // Transactional state stores would keep uncommitted writes out of the stores and may
                // spare the discard; off, the recovery this test is about is certain.
                "enable.transactional.statestores", "false",
                "num.stream.threads", "1",
                "session.timeout.ms", "6000",
                "heartbeat.interval.ms", "1500");
        instance = Instances.start(config, "recovery-logs", settings);
        await().atMost(Duration.ofMinutes(2)).until(() -> ServeLog.read(instance.log()).contains(RUNNING)
                || !instance.process().isAlive());

        CompletableFuture<GroundTruth> producing = CompletableFuture.supplyAsync(
                () -> GroundTruth.produce(config, EVENTS, 1_000, 11, RATE, new GroundTruth()));
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Offsets.committed(admin, config.applicationId(), config.eventsTopic()) >= 5 * RATE);
        }
        assertThat(producing).as("events still flow at the kill").isNotDone();
        instance.process().destroyForcibly();
        assertThat(instance.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        aggregatingTasks = tasksWith(stateDir.resolve(config.applicationId()), StoreNames.ALL_TIME);

        instance = Instances.start(config, "recovery-logs", settings);
        await().atMost(Duration.ofMinutes(3)).until(() -> ServeLog.read(instance.log()).contains(RUNNING)
                || !instance.process().isAlive());
        restartLog = ServeLog.lines(instance.log());
        producing.get(2, TimeUnit.MINUTES);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (instance != null) {
            instance.kill();
        }
    }

    @Test
    void theRestartedInstanceRestoresTheDiscardedStateFromTheChangelogs() {
        assertThat(restartLog).as("the instance turned RUNNING").anyMatch(line -> line.contains(RUNNING));
        long restored = restartLog.stream().map(RESTORED::matcher).filter(Matcher::matches)
                .mapToLong(m -> Long.parseLong(m.group("records").replace(",", ""))).sum();
        assertThat(restored).isPositive();
    }

    @Test
    void everyDiscardedTaskGetsOneWarningNamingIt() {
        List<Matcher> recoveries = restartLog.stream().map(RECOVERY::matcher).filter(Matcher::matches).toList();

        assertThat(recoveries).isNotEmpty();
        assertThat(recoveries).extracting(m -> m.group("level")).containsOnly("WARN");
        assertThat(recoveries).extracting(m -> m.group("task")).doesNotHaveDuplicates()
                .containsAll(aggregatingTasks);
    }

    @Test
    void noLineIsAnError() {
        assertThat(restartLog).noneMatch(ServeLog::isError);
    }

    @Test
    void noStackTraceIsLogged() {
        assertThat(restartLog).noneMatch(ServeLog::isStackTrace);
    }

    @Test
    void kafkaStreamsOwnLinesAboutTheCorruptedTasksAreLeftOut() {
        assertThat(restartLog).noneMatch(line -> line.contains("are corrupted")
                || line.contains("did not find checkpoint offsets"));
    }

    /** The tasks of an application's state directory that hold a RocksDB store named {@code store}. */
    private static List<String> tasksWith(Path applicationDir, String store) throws IOException {
        try (Stream<Path> tasks = Files.list(applicationDir)) {
            List<String> found = tasks.filter(task -> Files.isDirectory(task.resolve("rocksdb").resolve(store)))
                    .map(task -> task.getFileName().toString()).sorted().toList();
            assertThat(found).as("tasks holding %s", store).isNotEmpty();
            return found;
        }
    }
}
