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
    void theLogOfTheNormalDistributionMatchesPublishedValues() {
        assertThat(Math.exp(Confidence.logPhi(0))).isCloseTo(0.5, within(1e-7));
        assertThat(Math.exp(Confidence.logPhi(1.6448536269514722))).isCloseTo(0.95, within(1e-7));
        assertThat(Math.exp(Confidence.logPhi(-1.959963984540054))).isCloseTo(0.025, within(1e-7));
        assertThat(Confidence.logPhi(-10)).isCloseTo(Math.log(7.619853024160527e-24), within(0.05));
        assertThat(Confidence.logPhi(10)).isCloseTo(0.0, within(1e-15));
    }
}
