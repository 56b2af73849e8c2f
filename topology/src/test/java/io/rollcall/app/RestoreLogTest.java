package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestoreLogTest {

    private static final String STORE = "aggregates-all-time";
    private static final TopicPartition P0 = new TopicPartition("app-aggregates-all-time-changelog", 0);
    private static final TopicPartition P1 = new TopicPartition("app-aggregates-all-time-changelog", 1);

    /** What RestoreLog writes at the levels log4j2.xml enables by default (rollcall at INFO). */
    private final StringWriter written = new StringWriter();
    private final Logger logger = (Logger) LogManager.getLogger(RestoreLog.class);
    private WriterAppender appender;

    @BeforeEach
    void captureTheLog() {
        appender = WriterAppender.newBuilder().setName("restore-log-test").setTarget(written)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %msg%n").build()).build();
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void releaseTheLog() {
        logger.removeAppender(appender);
        appender.stop();
    }

    @Test
    void countsRestoredRecordsPerStoreAndReportsProgressOverAllPartitions() {
        RestoreLog log = new RestoreLog();
        log.onRestoreStart(P0, STORE, 0, 600);
        log.onRestoreStart(P1, STORE, 100, 500);
        log.onBatchRestored(P0, STORE, 300, 300);
        log.onBatchRestored(P1, STORE, 300, 200);
        assertThat(log.progress(System.nanoTime())).startsWith("restoring state: restored records 500 of 1,000 (50.0 %)")
                .contains("ETA");
        log.onRestoreEnd(P0, STORE, 600);
        log.onRestoreEnd(P1, STORE, 400);
        assertThat(log.totals()).containsEntry(STORE, 500L);
        // A later restoration starts a new count.
        log.onRestoreStart(P0, STORE, 600, 700);
        log.onBatchRestored(P0, STORE, 700, 100);
        assertThat(log.progress(System.nanoTime())).startsWith("restoring state: restored records 100 of 100 (100.0 %)");
    }

    @Test
    void restoringTimeCountsOverlappingPartitionsOnceAndNotTheGapsBetweenRounds() {
        long[] now = {0};
        RestoreLog log = new RestoreLog(() -> now[0]);
        log.onRestoreStart(P0, STORE, 0, 10);
        now[0] = 1_000_000_000L;
        log.onRestoreStart(P1, STORE, 0, 10);
        now[0] = 3_000_000_000L;
        log.onRestoreEnd(P0, STORE, 10);
        now[0] = 4_000_000_000L;
        log.onRestoreEnd(P1, STORE, 10);
        now[0] = 10_000_000_000L; // nothing restores for 6 s
        log.onRestoreStart(P0, STORE, 10, 20);
        now[0] = 10_500_000_000L;
        assertThat(log.restoringSeconds()).isEqualTo(4.5);
    }

    @Test
    void whatIsLeftToRestoreIsPerStoreAndZeroOnceDone() {
        RestoreLog log = new RestoreLog();
        TopicPartition p0 = new TopicPartition("app-aggregates-all-time-changelog", 0);
        TopicPartition p1 = new TopicPartition("app-aggregates-all-time-changelog", 1);
        TopicPartition judges = new TopicPartition("app-rollout-judges-changelog", 0);
        log.onRestoreStart(p0, "aggregates-all-time", 0, 600);
        log.onRestoreStart(p1, "aggregates-all-time", 100, 500);
        log.onRestoreStart(judges, "rollout-judges", 0, 10);
        log.onBatchRestored(p0, "aggregates-all-time", 300, 300);
        assertThat(log.remaining("aggregates-all-time")).isEqualTo(700);
        assertThat(log.remaining("rollout-judges")).isEqualTo(10);

        log.onRestoreEnd(p0, "aggregates-all-time", 600);
        log.onRestoreSuspended(p1, "aggregates-all-time", 0);
        log.onRestoreEnd(judges, "rollout-judges", 10);
        assertThat(log.remaining("aggregates-all-time")).isZero();
        assertThat(log.remaining("rollout-judges")).isZero();
        assertThat(log.restored("aggregates-all-time")).isEqualTo(300);
    }

    @Test
    void aRoundOfPartitionsThatRestoredNothingIsOneLine() {
        RestoreLog log = new RestoreLog();
        log.onRestoreStart(P0, STORE, 0, 2);
        log.onRestoreStart(P1, "aggregates-windowed", 0, 1);
        log.onRestoreEnd(P0, STORE, 0);
        log.onRestoreEnd(P1, "aggregates-windowed", 0);

        assertThat(lines()).singleElement().asString()
                .matches("INFO restored state: 0 records into 2 partitions of 2 stores in \\d+ ms");
    }

    @Test
    void aPartitionThatRestoredRecordsHasItsOwnLineBeforeTheRoundsSummary() {
        RestoreLog log = new RestoreLog();
        log.onRestoreStart(P0, STORE, 0, 600);
        log.onRestoreStart(P1, STORE, 0, 1);
        log.onBatchRestored(P0, STORE, 600, 600);
        log.onRestoreEnd(P1, STORE, 0);
        log.onRestoreEnd(P0, STORE, 600);

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).matches("INFO restored aggregates-all-time from app-aggregates-all-time-changelog-0: "
                + "600 records in \\d+ ms");
        assertThat(lines().get(1)).startsWith("INFO restored state: 600 records into 2 partitions of 1 stores");
    }

    @Test
    void aSuspendedRestorationEndsItsRoundToo() {
        RestoreLog log = new RestoreLog();
        log.onRestoreStart(P0, STORE, 0, 600);
        log.onBatchRestored(P0, STORE, 200, 200);
        log.onRestoreSuspended(P0, STORE, 200);

        assertThat(lines()).last().asString().startsWith("INFO restored state: 200 records into 1 partitions");
    }

    private List<String> lines() {
        return written.toString().lines().toList();
    }
}
