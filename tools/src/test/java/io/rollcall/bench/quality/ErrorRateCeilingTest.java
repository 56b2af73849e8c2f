package io.rollcall.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErrorRateCeilingTest {

    @Test
    void theTestRollsBackACanaryAtTheBoundInExactlyAlphaOfRollouts() {
        assertThat(ErrorRateCeiling.power(1500, 0.01, 0.01, 0.05)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void twiceTheErrorsOver1500RequestsAreCaughtWithTheExactBinomialPower() {
        // Σ C(n,k) p^k (1−p)^(n−k) summed directly (Python, exact integers): reject above 22
        // errors, at 22 with probability 0.8905; power at 2 % 0.94446.
        assertThat(ErrorRateCeiling.power(1500, 0.01, 0.02, 0.05)).isCloseTo(0.94446, within(1e-5));
    }
}
