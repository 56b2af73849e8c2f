package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreLogTest {

    @Test
    void countsRestoredRecordsPerStoreAndReportsProgressOverAllPartitions() {
        RestoreLog log = new RestoreLog();
        TopicPartition p0 = new TopicPartition("app-aggregates-all-time-changelog", 0);
        TopicPartition p1 = new TopicPartition("app-aggregates-all-time-changelog", 1);
        log.onRestoreStart(p0, "aggregates-all-time", 0, 600);
        log.onRestoreStart(p1, "aggregates-all-time", 100, 500);
        log.onBatchRestored(p0, "aggregates-all-time", 300, 300);
        log.onBatchRestored(p1, "aggregates-all-time", 300, 200);
        assertThat(log.progress(System.nanoTime())).startsWith("restoring state: restored records 500 of 1,000 (50.0 %)")
                .contains("ETA");
        log.onRestoreEnd(p0, "aggregates-all-time", 600);
        log.onRestoreEnd(p1, "aggregates-all-time", 400);
        assertThat(log.totals()).containsEntry("aggregates-all-time", 500L);
        // A later restoration starts a new count.
        log.onRestoreStart(p0, "aggregates-all-time", 600, 700);
        log.onBatchRestored(p0, "aggregates-all-time", 700, 100);
        assertThat(log.progress(System.nanoTime())).startsWith("restoring state: restored records 100 of 100 (100.0 %)");
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
}
