package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinomialEvidenceTest {

    @Test
    void noRequestsIsNoEvidence() {
        assertThat(BinomialEvidence.logLikelihoodRatio(0, 0, 0.01)).isZero();
    }

    @Test
    void errorsFarAboveTheThresholdAreStrongEvidence() {
        assertThat(BinomialEvidence.logLikelihoodRatio(50, 1000, 0.01)).isGreaterThan(Math.log(1000));
        assertThat(BinomialEvidence.logLikelihoodRatio(5, 1000, 0.01)).isLessThan(0);
    }

    @Test
    void upperTailMatchesAnExactSum() {
        // 1 − Σ_{k<23} C(1500,k) 0.01^k 0.99^(1500−k), in exact fractions (Python): 0.0320315432938687…
        assertThat(BinomialEvidence.upperTail(23, 1500, 0.01)).isCloseTo(0.0320315432938687, within(1e-12));
        assertThat(BinomialEvidence.upperTail(0, 10, 0.3)).isEqualTo(1.0);
        assertThat(BinomialEvidence.upperTail(11, 10, 0.3)).isZero();
    }

    @Test
    void atTheThresholdTheEvidenceRarelyEverReachesOneOverAlphaThoughLookedAtAfterEveryRequest() {
        // 2,000 canaries failing exactly 1 % of 10,000 requests each (20 windows of 500), looked
        // at after every request: at most α = 5 % may ever reach 20.
        SplittableRandom random = new SplittableRandom(20261201);
        double conclusive = Math.log(20);
        int alarms = 0;
        for (int rollout = 0; rollout < 2000; rollout++) {
            long errors = 0;
            for (long n = 1; n <= 10_000; n++) {
                if (random.nextDouble() < 0.01) {
                    errors++;
                    if (BinomialEvidence.logLikelihoodRatio(errors, n, 0.01) >= conclusive) {
                        alarms++;
                        break;
                    }
                }
            }
        }
        // Only an error can raise the ratio, so looking after each error is looking after every request.
        assertThat(alarms).as("false alarms of 2,000").isLessThanOrEqualTo(100);
    }
}
