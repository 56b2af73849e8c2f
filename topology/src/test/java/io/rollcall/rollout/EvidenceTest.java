package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EvidenceTest {

    private static final double ALPHA = 0.05;
    private static final int LOOKS_PER_WINDOW = 16;

    @Test
    void poolsWindowsByTheirInverseVariance() {
        Evidence evidence = Evidence.NONE.plus(new Effect(0.2, 0.1), 0.15).plus(new Effect(0.0, 0.05), 0.3);

        // weights 100 and 400: D = (0.2 × 100 + 0) / 500, V = 1/500
        assertThat(evidence.estimate()).isCloseTo(0.04, within(1e-12));
        assertThat(evidence.information()).isCloseTo(500, within(1e-9));
        assertThat(evidence.windows()).isEqualTo(2);
        assertThat(evidence.scale()).isEqualTo(0.15); // τ of the first window
    }

    @Test
    void theLikelihoodRatioIsTheHalfNormalMixtures() {
        // D = 0.2, V = 0.01, τ = 0.15: 2Φ(τD/√(V(V+τ²)))·√(V/(V+τ²))·exp(τ²D²/(2V(V+τ²)))
        // = 2 × Φ(1.664) × 0.5547 × e^1.3846 = 4.2173 (computed independently with SciPy).
        Evidence evidence = Evidence.NONE.plus(new Effect(0.2, 0.1), 0.15);

        assertThat(evidence.likelihoodRatio()).isCloseTo(4.2173, within(1e-3));
        assertThat(Evidence.NONE.likelihoodRatio()).isEqualTo(1.0);
    }

    @Test
    void evidencePointingInsideTheBoundIsNeverConclusive() {
        Evidence inside = Evidence.NONE.plus(new Effect(-0.5, 0.01), 0.15);

        assertThat(inside.conclusive(20)).isFalse();
        assertThat(Evidence.NONE.plus(new Effect(0.5, 0.01), 0.15).conclusive(20)).isTrue();
    }

    /**
     * At the bound (θ = 0), looked at {@value #LOOKS_PER_WINDOW} times a window over 20
     * windows of varying precision, the test raises a false alarm in at most α of rollouts —
     * the guarantee that lets the judge look mid-window.
     */
    @Property(tries = 12, seed = "20171101")
    void falseAlarmsStayBelowAlphaHoweverOftenTheEvidenceIsLookedAt(
            @ForAll @DoubleRange(min = 0.05, max = 0.5) double tau,
            @ForAll @DoubleRange(min = 0.02, max = 0.2) double standardError,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        int rollouts = 2000;
        int alarms = 0;
        for (int rollout = 0; rollout < rollouts; rollout++) {
            if (sequence(0, tau, standardError, 20, new Random(seed * 1_000_003L + rollout))) {
                alarms++;
            }
        }
        assertThat((double) alarms / rollouts).isLessThanOrEqualTo(ALPHA);
    }

    @Test
    void anEffectOfTheMixturesScaleIsDetectedWithinAFewWindows() {
        int detected = 0;
        for (int rollout = 0; rollout < 1000; rollout++) {
            if (sequence(0.15, 0.15, 0.07, 4, new Random(rollout))) {
                detected++;
            }
        }
        assertThat(detected).isGreaterThan(900);
    }

    /**
     * A rollout whose windows have true effect θ and standard errors around {@code standardError}:
     * within a window, the partial effect after j of n looks has the information of j/n of it
     * (a Brownian path of the window's score). True if the evidence ever became conclusive.
     */
    private static boolean sequence(double theta, double tau, double standardError, int windows, Random random) {
        Evidence evidence = Evidence.NONE;
        for (int window = 0; window < windows; window++) {
            double s = standardError * (0.5 + random.nextDouble());
            double stepInformation = 1 / (s * s) / LOOKS_PER_WINDOW;
            double information = 0;
            double score = 0;
            for (int look = 1; look <= LOOKS_PER_WINDOW; look++) {
                information += stepInformation;
                score += theta * stepInformation + Math.sqrt(stepInformation) * random.nextGaussian();
                Effect partial = new Effect(score / information, 1 / Math.sqrt(information));
                if (evidence.plus(partial, tau).conclusive(1 / ALPHA)) {
                    return true;
                }
            }
            evidence = evidence.plus(new Effect(score / information, 1 / Math.sqrt(information)), tau);
        }
        return false;
    }
}
