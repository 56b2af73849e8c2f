package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private static final long IDLE = 1_000;
    private static final long NOW = 1_000_000;

    @Test
    void aPartitionWorkingThroughABacklogReportsTheNewestEventTimeItSaw() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW - 10_000);
        for (long t = NOW - 10_000; t <= NOW; t += 100) {
            progress.saw(t - 30_000, t); // events keep coming, stamped 30 s in the past
        }

        assertThat(progress.advance(NOW)).hasValue(NOW - 30_000);
    }

    @Test
    void aPartitionWithNoEventForTheIdleTimeFollowsTheWallClockThatMuchBehind() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW);
        progress.saw(NOW - 30_000, NOW);

        assertThat(progress.advance(NOW + IDLE - 1)).hasValue(NOW - 30_000);
        assertThat(progress.advance(NOW + 5 * IDLE)).hasValue(NOW + 4 * IDLE);
    }

    @Test
    void aPartitionThatNeverDeliveredAnEventReportsNothingUntilTheIdleTimeHasPassed() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW);

        assertThat(progress.advance(NOW + IDLE - 1)).isEmpty();
        assertThat(progress.advance(NOW + IDLE)).hasValue(NOW);
    }

    @Test
    void eventsStampedAheadOfTheWallClockDoNotCarryTheProgressPastIt() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW);
        progress.saw(NOW + 3_600_000, NOW);

        assertThat(progress.advance(NOW + 100)).hasValue(NOW + 100);
    }

    @Test
    void progressThatDidNotMoveIsNotReportedAgain() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW);
        progress.saw(NOW - 5_000, NOW);
        assertThat(progress.advance(NOW + 100)).hasValue(NOW - 5_000);

        progress.saw(NOW - 8_000, NOW + 150); // out of order: older than what was reported
        assertThat(progress.advance(NOW + 200)).isEqualTo(OptionalLong.empty());
    }
}
