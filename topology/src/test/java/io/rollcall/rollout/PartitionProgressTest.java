package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private static final long IDLE = 1_000;
    private static final long NOW = 1_000_000;

    @Test
    void aPartitionWorkingThroughABacklogHasReachedTheNewestEventTimeItSaw() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW - 10_000);
        for (long t = NOW - 10_000; t <= NOW; t += 100) {
            progress.saw(t - 30_000, t); // events keep coming, stamped 30 s in the past
        }

        assertThat(progress.reached(NOW)).isEqualTo(NOW - 30_000);
    }

    @Test
    void aPartitionWithNoEventForTheIdleTimeFollowsTheWallClockThatMuchBehind() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW);
        progress.saw(NOW - 30_000, NOW);

        assertThat(progress.reached(NOW + IDLE - 1)).isEqualTo(NOW - 30_000);
        assertThat(progress.reached(NOW + 5 * IDLE)).isEqualTo(NOW + 4 * IDLE);
    }

    @Test
    void aPartitionThatNeverDeliveredAnEventHasReachedNothingUntilTheIdleTimeHasPassed() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW);

        assertThat(progress.reached(NOW + IDLE - 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(progress.reached(NOW + IDLE)).isEqualTo(NOW);
    }

    @Test
    void eventsStampedAheadOfTheWallClockDoNotCarryItPastTheWallClock() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW);
        progress.saw(NOW + 3_600_000, NOW);

        assertThat(progress.reached(NOW + 100)).isEqualTo(NOW + 100);
    }

    @Test
    void anOutOfOrderEventDoesNotTakeItBack() {
        PartitionProgress progress = new PartitionProgress(IDLE, NOW);
        progress.saw(NOW - 5_000, NOW);
        progress.saw(NOW - 8_000, NOW + 50);

        assertThat(progress.reached(NOW + 100)).isEqualTo(NOW - 5_000);
    }
}
