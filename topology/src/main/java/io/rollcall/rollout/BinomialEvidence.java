package io.rollcall.rollout;

/**
 * Exact evidence that an error rate exceeds a threshold T, from the canary's counts alone —
 * x failed requests of n — for when the normal approximation of {@link Evidence} is poor (a
 * few expected errors per window).
 *
 * <p>The likelihood ratio of "the rate is p" against "it is T", (p/T)^x·((1−p)/(1−T))^(n−x),
 * is for every p > T a nonnegative supermartingale under any rate at most T (each request
 * multiplies it by p/T or (1−p)/(1−T), of mean q·p/T + (1−q)(1−p)/(1−T) ≤ 1 for q ≤ T). So is
 * any mixture of them, here an equal mixture over rates {@link #MULTIPLES} × T: by Ville's
 * inequality it ever reaches 1/α with probability at most α, however often it is looked at —
 * exactly, with no approximation.
 */
final class BinomialEvidence {

    /** The alternatives, as multiples of T: from a quarter above the bound to ten times it. */
    static final double[] MULTIPLES = {1.25, 1.5, 2, 3, 5, 10};

    private BinomialEvidence() {
    }

    /** ln Λ for x errors in n requests against threshold T in (0, 1); 0 for n = 0. */
    static double logLikelihoodRatio(long x, long n, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        if (x < 0 || x > n) {
            throw new IllegalArgumentException("errors must be in [0, n], got " + x + " of " + n);
        }
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[MULTIPLES.length];
        int used = 0;
        for (double multiple : MULTIPLES) {
            double p = threshold * multiple;
            if (p >= 1) {
                break;
            }
            double term = x * Math.log(p / threshold) + (n - x) * Math.log1p(-p) - (n - x) * Math.log1p(-threshold);
            terms[used++] = term;
            max = Math.max(max, term);
        }
        if (used == 0) {
            // T so large that no multiple stays below 1: the rate cannot be a quarter above it.
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (int i = 0; i < used; i++) {
            sum += Math.exp(terms[i] - max);
        }
        return max + Math.log(sum / used);
    }

    /** P(X ≥ x) for X ~ Binomial(n, p): the exact upper tail, summed from x. */
    static double upperTail(long x, long n, double p) {
        if (x <= 0) {
            return 1;
        }
        if (x > n) {
            return 0;
        }
        // ln P(X = x) = ln C(n, x) + x ln p + (n − x) ln(1 − p), C(n, x) as a product of ratios.
        double logPmf = x * Math.log(p) + (n - x) * Math.log1p(-p);
        for (long i = 1; i <= x; i++) {
            logPmf += Math.log((double) (n - x + i) / i);
        }
        double pmf = Math.exp(logPmf);
        double tail = 0;
        double ratio = p / (1 - p);
        for (long k = x; k <= n && pmf > 0; k++) {
            tail += pmf;
            if (pmf < tail * 1e-17) {
                break;
            }
            pmf *= (double) (n - k) / (k + 1) * ratio;
        }
        return Math.min(1, tail);
    }
}
