package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidenceTest {

    @Test
    void normalQuantilesMatchPublishedValues() {
        assertThat(Confidence.z(0.5)).isCloseTo(0.0, within(1e-15));
        assertThat(Confidence.z(0.95)).isCloseTo(1.6448536269514722, within(1e-12));
        assertThat(Confidence.z(0.975)).isCloseTo(1.959963984540054, within(1e-12));
        assertThat(Confidence.z(0.999)).isCloseTo(3.090232306167813, within(1e-12));
        assertThat(Confidence.z(0.9995)).isCloseTo(3.2905267314918945, within(1e-12));
        assertThat(Confidence.z(0.05)).isCloseTo(-1.6448536269514722, within(1e-12));
        assertThat(Confidence.z(1e-10)).isCloseTo(-6.361340902404056, within(1e-9));
        assertThatThrownBy(() -> Confidence.z(1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wilsonBoundsBracketTheRateAndNarrowWithMoreData() {
        // 10 errors of 200 (5 %), one-sided 95 % Wilson bounds (computed independently with
        // Python's statistics.NormalDist): 3.0121 % and 8.1892 %.
        assertThat(Confidence.wilsonLower(10, 200, 0.95)).isCloseTo(0.030120611671088676, within(1e-12));
        assertThat(Confidence.wilsonUpper(10, 200, 0.95)).isCloseTo(0.08189183291820937, within(1e-12));
        assertThat(Confidence.wilsonLower(100, 2000, 0.95)).isBetween(0.0302, 0.05);
        assertThat(Confidence.wilsonLower(0, 50, 0.95)).isZero();
        assertThat(Confidence.wilsonUpper(50, 50, 0.95)).isEqualTo(1.0);
        assertThat(Confidence.wilsonLower(0, 0, 0.95)).isZero();
    }

    @Test
    void quantileRanksWidenWithConfidenceAndNarrowWithSamples() {
        assertThat(Confidence.quantileRankLower(0.95, 100, 0.95)).isCloseTo(0.95 - 1.6449 * Math.sqrt(0.95 * 0.05 / 100),
                within(1e-4));
        assertThat(Confidence.quantileRankLower(0.95, 10_000, 0.95)).isGreaterThan(Confidence.quantileRankLower(0.95, 100, 0.95));
        assertThat(Confidence.quantileRankUpper(0.99, 10, 0.999)).isEqualTo(1.0);
        assertThat(Confidence.quantileRankLower(0.5, 1, 0.999)).isZero();
    }
}
