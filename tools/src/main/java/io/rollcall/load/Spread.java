package io.rollcall.load;

import java.math.BigInteger;
import java.util.function.IntSupplier;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;

/**
 * How a {@link Workload} spreads each template's events over that template's series. Real
 * metric traffic is skewed (a few hot series carry most events); uniform traffic is the
 * worst case for a pipeline that folds a series' events together between commits.
 */
public sealed interface Spread {

    /** Names a workload in printed figures, e.g. {@code skewed s=1.1}. */
    String label();

    /** Series a benchmark draws from unless told otherwise. */
    int defaultSeries();

    /** Draws, from {@code random}, one of {@code n} series: an index from 0 to {@code n}. */
    IntSupplier draw(UniformRandomProvider random, int n);

    /** Every series of a template equally often. */
    record Uniform() implements Spread {
        @Override
        public String label() {
            return "uniform";
        }

        @Override
        public int defaultSeries() {
            return 100_000;
        }

        @Override
        public IntSupplier draw(UniformRandomProvider random, int n) {
            return () -> random.nextInt(n);
        }
    }

    /**
     * The series of a template ranked by popularity, rank {@code k} drawn with probability
     * proportional to {@code k^-exponent}; hot ranks are scattered over the catalogue.
     */
    record Zipf(double exponent) implements Spread {
        public static final double DEFAULT_EXPONENT = 1.1;

        public Zipf {
            if (!(exponent > 0) || Double.isInfinite(exponent)) {
                throw new IllegalArgumentException("Zipf exponent must be positive and finite, got " + exponent);
            }
        }

        @Override
        public String label() {
            return "skewed s=" + exponent;
        }

        @Override
        public int defaultSeries() {
            return 1_000_000;
        }

        @Override
        public IntSupplier draw(UniformRandomProvider random, int n) {
            SharedStateDiscreteSampler ranks = RejectionInversionZipfSampler.of(random, n, exponent);
            Scatter scatter = Scatter.over(n);
            return () -> scatter.apply(ranks.sample() - 1);
        }
    }

    /**
     * A bijection of {@code [0, n)}, {@code r → (r·stride + offset) mod n} with the stride coprime
     * to {@code n}: consecutive ranks land far apart, so the hot series are pods of every service,
     * revision and region rather than the first pods of the catalogue.
     */
    record Scatter(int n, long stride, long offset) {
        static Scatter over(int n) {
            long stride = Math.max(1, Math.round(n * 0.6180339887498949));
            while (!BigInteger.valueOf(stride).gcd(BigInteger.valueOf(n)).equals(BigInteger.ONE)) {
                stride++;
            }
            return new Scatter(n, stride, n / 3);
        }

        int apply(int rank) {
            return (int) ((rank * stride + offset) % n);
        }
    }
}
