package io.rollcall.rollout;

/**
 * The evidence about one bound of an SLO (a "check", H0: the bound holds, effect θ <= 0),
 * accumulated over the windows judged so far: the inverse-variance pooled estimate
 * D = Σ(d/s²)/Σ(1/s²) with variance V = 1/Σ(1/s²), and a sequential test of it that may be
 * looked at any number of times — after every window, and within one — without raising the
 * rate of false alarms.
 *
 * <p>The test is a mixture sequential probability ratio test (Robbins' normal mixture; Johari
 * et al., "Peeking at A/B tests", 2017): the likelihood ratio of "θ ~ τ·|N(0, 1)|" against
 * θ = 0, for D ~ N(θ, V),
 * Λ = 2Φ(τD/√(V(V+τ²)))·√(V/(V+τ²))·exp(τ²D²/(2V(V+τ²))). Under H0 it is a
 * (super)martingale of mean 1, so by Ville's inequality it ever reaches 1/α with probability
 * at most α however often it is looked at. The mixture is over θ > 0 only (a half-normal,
 * hence the 2Φ factor) because only an effect beyond the bound is evidence against H0; over
 * both signs, half of α would go to a direction that never rolls back. τ, the mixture's scale,
 * is the effect size the test is most sensitive to; each SLO kind chooses it
 * ({@link SloRule#mixtureScale}), once, with the check's first window.
 *
 * @param windows     windows pooled
 * @param information Σ 1/s²
 * @param weighted    Σ d/s²
 * @param scale       τ; NaN before the first window
 * @param requests    the canary's requests in the windows pooled, for exact tests on counts
 * @param errors      the canary's failed requests among them
 */
public record Evidence(int windows, double information, double weighted, double scale, long requests, long errors) {

    /** No window yet. */
    public static final Evidence NONE = new Evidence(0, 0, 0, Double.NaN, 0, 0);

    /** This evidence and one more window's effect; {@code scale} applies only if this is the first. */
    public Evidence plus(Effect effect, double scale) {
        return plus(effect, scale, RoleStats.empty());
    }

    /** This evidence and one more window's effect, with the canary's counts of that window. */
    public Evidence plus(Effect effect, double scale, RoleStats canary) {
        double weight = 1 / (effect.standardError() * effect.standardError());
        return new Evidence(windows + 1, information + weight, weighted + weight * effect.estimate(),
                windows == 0 ? scale : this.scale, requests + canary.count(), errors + canary.errors());
    }

    public boolean isEmpty() {
        return windows == 0;
    }

    /** D, the pooled effect: > 0 when the evidence so far points beyond the bound. */
    public double estimate() {
        return isEmpty() ? Double.NaN : weighted / information;
    }

    /** D + z·√V: the pooled effect's upper confidence bound at z; NaN without evidence. */
    public double upperBound(double z) {
        return isEmpty() ? Double.NaN : estimate() + z / Math.sqrt(information);
    }

    /** ln Λ; 0 without evidence. */
    public double logLikelihoodRatio() {
        if (isEmpty()) {
            return 0;
        }
        double variance = 1 / information;
        double d = estimate();
        double spread = variance + scale * scale;
        return Math.log(2) + Confidence.logPhi(scale * d / Math.sqrt(variance * spread))
                + 0.5 * Math.log(variance / spread) + scale * scale * d * d / (2 * variance * spread);
    }

    /** Λ, the likelihood ratio of the evidence against "the bound holds". */
    public double likelihoodRatio() {
        return Math.exp(logLikelihoodRatio());
    }

    /** Conclusively beyond the bound: Λ reached {@code threshold} (see {@link FalseAlarms#conclusiveAt()}) with D > 0. */
    public boolean conclusive(double threshold) {
        return !isEmpty() && estimate() > 0 && logLikelihoodRatio() >= Math.log(threshold);
    }
}
