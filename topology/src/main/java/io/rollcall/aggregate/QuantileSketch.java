package io.rollcall.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An immutable, mergeable quantile sketch with at most 1 % relative error: every returned
 * quantile q lies within 1 % of the exact value at rank {@code floor(q * (count - 1))}.
 *
 * <p>Backed by DDSketch (com.datadoghq:sketches-java) rather than hand-written code: it is
 * the sketch Datadog runs in production, mergeable without loss of accuracy, handles
 * negative values and zero, and has a compact binary encoding with Go and Python readers.
 * The logarithmic mapping gives the exact 1 % bound with the fewest bins. DDSketch itself
 * is mutable, so this class never hands out or changes its instance: every update copies.
 */
public final class QuantileSketch {

    public static final double RELATIVE_ACCURACY = 0.01;

    /**
     * Bins per sign. 2,048 bins of a 1 % logarithmic mapping span a value range of
     * about 10^17 before the lowest bins collapse, far beyond any latency or gauge range.
     */
    private static final int MAX_BINS = 2048;

    private static final LogarithmicMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);
    private static final QuantileSketch EMPTY = new QuantileSketch(newSketch());

    private final DDSketch sketch;

    private QuantileSketch(DDSketch sketch) {
        this.sketch = sketch;
    }

    public static QuantileSketch empty() {
        return EMPTY;
    }

    /** A new sketch holding this one's values and {@code value}. */
    public QuantileSketch add(double value) {
        DDSketch copy = sketch.copy();
        copy.accept(value);
        return new QuantileSketch(copy);
    }

    /** A new sketch holding the values of both. */
    public QuantileSketch merge(QuantileSketch other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        DDSketch copy = sketch.copy();
        copy.mergeWith(other.sketch);
        return new QuantileSketch(copy);
    }

    public boolean isEmpty() {
        return sketch.isEmpty();
    }

    public long count() {
        return Math.round(sketch.getCount());
    }

    /** The value at quantile {@code q} in [0, 1]; NaN for an empty sketch. */
    public double quantile(double q) {
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be within [0, 1], got " + q);
        }
        return isEmpty() ? Double.NaN : sketch.getValueAtQuantile(q);
    }

    /** The values at several quantiles in one pass over the bins; NaN each for an empty sketch. */
    public double[] quantiles(double... qs) {
        for (double q : qs) {
            if (q < 0 || q > 1 || Double.isNaN(q)) {
                throw new IllegalArgumentException("quantile must be within [0, 1], got " + q);
            }
        }
        if (isEmpty()) {
            double[] nan = new double[qs.length];
            java.util.Arrays.fill(nan, Double.NaN);
            return nan;
        }
        return sketch.getValuesAtQuantiles(qs);
    }

    /** DDSketch binary encoding, index mapping included, so any DDSketch library can read it. */
    public byte[] toBytes() {
        GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(output, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode sketch", e);
        }
        return output.trimmedCopy();
    }

    /**
     * Reads {@link #toBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are not a DDSketch encoding
     */
    public static QuantileSketch fromBytes(byte[] bytes) {
        if (bytes.length == 0) {
            return EMPTY;
        }
        try {
            DDSketch decoded = DDSketch.decode(ByteArrayInput.wrap(bytes), QuantileSketch::newStore);
            return new QuantileSketch(decoded);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DDSketch encoding: " + e.getMessage(), e);
        }
    }

    private static DDSketch newSketch() {
        return new DDSketch(MAPPING, QuantileSketch::newStore);
    }

    private static CollapsingLowestDenseStore newStore() {
        return new CollapsingLowestDenseStore(MAX_BINS);
    }

    @Override
    public String toString() {
        return "QuantileSketch[count=" + count() + ", p50=" + quantile(0.5) + ", p99=" + quantile(0.99) + "]";
    }
}
