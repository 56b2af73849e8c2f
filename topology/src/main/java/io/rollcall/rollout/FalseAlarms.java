package io.rollcall.rollout;

import io.rollcall.schema.avro.RolloutSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How a rollout's chance of a false rollback — of rolling back a canary whose every bound
 * holds — stays at most α = 1 − confidence, however many windows it runs and however often
 * it is looked at. Two rules roll back, and α is split between them:
 * <ul>
 *   <li>the sequential evidence of a check ({@link Evidence}) is conclusive at
 *       k / (α·(1 − {@value #WINDOW_SHARE})) for k checks: by Ville's inequality each check's
 *       evidence ever gets there with probability at most α·(1 − share) / k;
 *   <li>{@code failureLimit} f windows failing on their own: the j-th window with data of a
 *       check fails at level α<sub>j</sub> = (S / k)·6/(π²j²), S = (f!·α·share)<sup>1/f</sup>.
 *       The levels of all checks and windows sum to S, and windows are independent samples,
 *       so the chance that f windows ever fail is at most S<sup>f</sup>/f! = α·share.
 * </ul>
 * The levels fall with each window, so the first windows can fail on a regression on their
 * own, and a rollout that runs long does not collect failures by chance.
 *
 * @param alpha        1 − confidence
 * @param checks       k, the bounds of all the SLOs
 * @param failureLimit f
 */
public record FalseAlarms(double alpha, int checks, int failureLimit) {

    /**
     * The share of α given to windows failing on their own; the evidence gets the rest. The
     * sequential evidence does most of the catching: simulated with {@code JudgeSimulation}'s
     * rules in a one-off run (p95 <= baseline +10 % and
     * errors <= 1 %, 500 requests per role and window), a ×1.25 p95 was rolled back within 3
     * windows in 75 % of 200 rollouts at share 0.1, 74.5 % at 0.2, 72.5 % at 0.3, 70.5 % at 0.5. At 0.2
     * the evidence of one check at 95 % is conclusive at a round 25.
     */
    static final double WINDOW_SHARE = 0.2;

    /** Levels are at most this, so that a window never fails with a canary inside its bound. */
    private static final double MAX_WINDOW_LEVEL = 0.5;

    public static FalseAlarms of(RolloutSpec spec) {
        // In decimal: 1 − 0.95 is 0.05, not 0.050000000000000044.
        double alpha = BigDecimal.ONE.subtract(BigDecimal.valueOf(spec.getConfidence())).doubleValue();
        return new FalseAlarms(alpha, Judgement.checks(spec), spec.getFailureLimit());
    }

    /** The likelihood ratio at which a check's evidence is conclusive: 25 for one check at 95 %. */
    public double conclusiveAt() {
        return BigDecimal.valueOf(checks)
                .divide(BigDecimal.valueOf(alpha).multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(WINDOW_SHARE))),
                        MathContext.DECIMAL64)
                .doubleValue();
    }

    /** α<sub>j</sub>, the level at which the {@code window}-th window (from 1) with data of a check fails alone. */
    public double windowLevel(int window) {
        double factorial = 1;
        for (int i = 2; i <= failureLimit; i++) {
            factorial *= i;
        }
        double perCheck = Math.pow(factorial * alpha * WINDOW_SHARE, 1.0 / failureLimit) / checks;
        return Math.min(MAX_WINDOW_LEVEL, perCheck * 6 / (Math.PI * Math.PI * window * (double) window));
    }

    /** The effect, in standard errors, beyond which the {@code window}-th window fails alone. */
    public double windowZ(int window) {
        return Confidence.z(1 - windowLevel(window));
    }

    /**
     * The window's confidence in words, never more than it is: its level rounded up to two
     * significant digits — α<sub>j</sub> 0.0429 reads "95.7 %", 0.00477 "99.52 %".
     */
    public String windowConfidence(int window) {
        BigDecimal level = new BigDecimal(windowLevel(window) * 100).round(new MathContext(2, RoundingMode.CEILING));
        return BigDecimal.valueOf(100).subtract(level).stripTrailingZeros().toPlainString() + " %";
    }
}
