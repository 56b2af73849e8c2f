package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagTrendTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final long SECOND = 1_000_000_000L;

    /** One sample a second from second 0, with these lags. */
    private static List<LagTrend.Sample> everySecond(long... lags) {
        List<LagTrend.Sample> out = new ArrayList<>();
        for (int i = 0; i < lags.length; i++) {
            out.add(new LagTrend.Sample(i * SECOND, lags[i], 0));
        }
        return out;
    }

    private static long second(LagTrend.Sample sample) {
        return sample.atNanos() / SECOND;
    }

    @Test
    void lagStopsGrowingAtThePeakAfterWhichItOnlyFalls() {
        List<LagTrend.Sample> samples = everySecond(0, 100, 200, 300, 400, 350, 300, 250, 200, 150, 100, 50, 0, 0, 0);

        assertThat(LagTrend.stoppedGrowing(samples, 0, 10, WINDOW)).map(LagTrendTest::second).contains(4L);
    }

    @Test
    void aPauseInAClimbIsNotAStop() {
        List<LagTrend.Sample> samples = everySecond(0, 100, 200, 200, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
                1100, 1200, 1300, 1400);

        assertThat(LagTrend.stoppedGrowing(samples, 0, 150, WINDOW)).isEmpty();
    }

    @Test
    void aLevelStretchFollowedByMoreGrowthIsNotAStop() {
        List<LagTrend.Sample> samples = everySecond(300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 400,
                500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500);

        assertThat(LagTrend.stoppedGrowing(samples, 0, 50, WINDOW)).isEmpty();
    }

    @Test
    void growthWithinTheToleranceCountsAsStopped() {
        List<LagTrend.Sample> samples = everySecond(500, 510, 520, 505, 530, 540, 515, 525, 545, 535, 540, 530);

        assertThat(LagTrend.stoppedGrowing(samples, 0, 50, WINDOW)).map(LagTrendTest::second).contains(0L);
    }

    @Test
    void aCandidateCountsOnlyOnceSamplesCoverItsWholeWindow() {
        List<LagTrend.Sample> samples = everySecond(400, 300, 200, 100, 0);

        assertThat(LagTrend.stoppedGrowing(samples, 0, 10, WINDOW)).isEmpty();
    }

    @Test
    void samplesBeforeTheStepAreNotCandidates() {
        List<LagTrend.Sample> samples = everySecond(900, 100, 200, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300,
                300, 300);

        assertThat(LagTrend.stoppedGrowing(samples, SECOND, 10, WINDOW)).map(LagTrendTest::second).contains(3L);
    }

    @Test
    void lagIsUnderTheBoundFromTheStartOfTheFirstStretchLastingTheWindow() {
        List<LagTrend.Sample> samples = everySecond(900, 50, 60, 900, 80, 70, 60, 50, 40, 30, 20, 10, 0, 0, 0);

        assertThat(LagTrend.underFor(samples, 0, 100, WINDOW)).map(LagTrendTest::second).contains(4L);
    }

    @Test
    void aStretchShorterThanTheWindowIsNotUnderTheBound() {
        List<LagTrend.Sample> samples = everySecond(900, 50, 60, 70, 80, 90, 60, 50, 40, 30, 900);

        assertThat(LagTrend.underFor(samples, 0, 100, WINDOW)).isEmpty();
    }

    @Test
    void maxLooksOnlyAtTheStepsSamples() {
        List<LagTrend.Sample> samples = everySecond(900, 50, 60, 800, 70);

        assertThat(LagTrend.max(samples, SECOND, 2 * SECOND)).isEqualTo(60);
    }

    @Test
    void theLagAtAMomentIsTheNewestSampleTakenByThen() {
        List<LagTrend.Sample> samples = everySecond(900, 50, 60);

        assertThat(LagTrend.at(samples, SECOND + SECOND / 2)).map(LagTrend.Sample::lag).contains(50L);
    }

    @Test
    void theCommittedRateIsTheCommittedOffsetsGainPerSecondBetweenTwoSamples() {
        assertThat(LagTrend.committedRate(new LagTrend.Sample(0, 0, 1_000), new LagTrend.Sample(2 * SECOND, 0, 5_000)))
                .isEqualTo(2_000.0);
    }
}
