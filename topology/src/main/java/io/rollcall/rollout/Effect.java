package io.rollcall.rollout;

/**
 * How far beyond one bound of an SLO the canary is in one window, in the bound's own scale
 * (a log-ratio for latencies, a difference of rates for errors): {@code estimate} > 0 means
 * beyond the bound, and {@code standardError} is that estimate's standard error.
 */
public record Effect(double estimate, double standardError) {

    /** The estimate in standard errors: how many of them the canary is beyond the bound. */
    public double z() {
        return estimate / standardError;
    }

    /** The value of the effect {@code z} standard errors below the estimate: its lower confidence bound at z. */
    public double lowerBound(double z) {
        return estimate - z * standardError;
    }
}
