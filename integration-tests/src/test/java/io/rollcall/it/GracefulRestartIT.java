package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.query.Answer;
import io.rollcall.schema.SeriesId;
import io.rollcall.topology.StoreNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A clean stop writes the stores' checkpoints, so the next start on the same state
 * directory reuses the local RocksDB state instead of replaying the changelogs; with the
 * directory gone, the same start restores everything (which shows the figure measures).
 * One run of three starts, checked by the methods below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GracefulRestartIT {

    private static final int SERIES = 2_000;
    private static final int EVENTS = 20_000;

    private GroundTruth truth;
    private KafkaStreams.State afterCleanStop;
    private Answer<Aggregate> answerAfterRestart;
    private long someId;
    private Map<String, Long> restoredAfterCleanRestart;
    private Map<String, Long> restoredWithoutLocalState;

    @BeforeAll
    void stopCleanlyRestartAndRestartWithoutLocalState() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("graceful-restart").with(Map.of("num.stream.threads", "1"));
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 3),
                compacted(config.aggregatesTopic(), 3), topic(config.deadLetterTopic(), 3)));
        RollcallApp first = RollcallApp.start(config);
        try {
            assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
            truth = GroundTruth.produce(config, EVENTS, SERIES, 5);
            Fixtures.awaitCommitted(config, EVENTS, Duration.ofMinutes(2));
        } finally {
            long closing = System.nanoTime();
            first.close();
            System.out.printf("clean stop of an instance holding %,d series: %d ms%n", SERIES,
                    (System.nanoTime() - closing) / 1_000_000);
        }
        afterCleanStop = first.streams().state();

        try (RollcallApp second = RollcallApp.start(config)) {
            assertThat(second.awaitRunning(Duration.ofSeconds(60))).isTrue();
            restoredAfterCleanRestart = second.restoredRecords();
            someId = truth.byId().keySet().iterator().next();
            answerAfterRestart = second.aggregate(SeriesId.of(someId));
        }
        System.out.printf("records restored after a clean restart: %s%n", restoredAfterCleanRestart);

        try (Stream<Path> files = Files.walk(config.stateDir())) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        try (RollcallApp third = RollcallApp.start(config)) {
            assertThat(third.awaitRunning(Duration.ofSeconds(60))).isTrue();
            restoredWithoutLocalState = third.restoredRecords();
        }
    }

    @Test
    void aCleanStopEndsInNotRunning() {
        assertThat(afterCleanStop).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    }

    @Test
    void aCleanRestartReplaysNeitherStoreFromItsChangelog() {
        assertThat(restoredAfterCleanRestart.getOrDefault(StoreNames.ALL_TIME, 0L)).as("all-time store replayed").isZero();
        assertThat(restoredAfterCleanRestart.getOrDefault(StoreNames.WINDOWED, 0L)).as("window store replayed").isZero();
    }

    @Test
    void aCleanRestartAnswersFromTheReusedLocalState() {
        assertThat(answerAfterRestart).isInstanceOf(Answer.Local.class);
        assertThat(((Answer.Local<Aggregate>) answerAfterRestart).value().count()).isEqualTo(truth.byId().get(someId).count);
    }

    @Test
    void aStartWithoutLocalStateRestoresEverySeriesFromTheChangelog() {
        assertThat(restoredWithoutLocalState.getOrDefault(StoreNames.ALL_TIME, 0L))
                .as("a full restore of the all-time store").isGreaterThanOrEqualTo(SERIES);
    }
}
