package io.rollcall.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.BinEncodingMode;
import com.datadoghq.sketch.ddsketch.encoding.Flag;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.encoding.VarEncodingHelper;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * An immutable, mergeable quantile sketch with at most 1 % relative error: every returned
 * quantile q lies within 1 % of the exact value at rank {@code floor(q * (count - 1))}.
 *
 * <p>DDSketch (com.datadoghq:sketches-java) rather than hand-written code supplies the parts
 * that need care: the logarithmic index mapping with the exact 1 % bound, the binary encoding
 * (with Go and Python readers), and the reference behaviour. Its stores are mutable and dense,
 * though, so an immutable value built on them copied a dense array of up to 2,048 bins on
 * every event: that copy was the largest allocation of the pipeline (BENCHMARKS.md). This
 * class keeps the same bins as sorted sparse arrays that share everything an update leaves
 * unchanged, so adding a value copies only the counts of the bins in use (a series sees a few
 * dozen distinct bins). Bins, zero threshold, collapsing of the lowest bins beyond 2,048 and
 * quantile ranks follow DDSketch with a {@code CollapsingLowestDenseStore} exactly
 * ({@code QuantileSketchTest} compares the two on random input); encoding goes through
 * DDSketch, so the bytes are DDSketch's.
 */
public final class QuantileSketch {

    public static final double RELATIVE_ACCURACY = 0.01;

    /**
     * Bins per sign. 2,048 bins of a 1 % logarithmic mapping span a value range of
     * about 10^17 before the lowest bins collapse, far beyond any latency or gauge range.
     */
    private static final int MAX_BINS = 2048;

    private static final LogarithmicMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);
    /** Magnitudes at or below this count as zero (DDSketch's default). */
    private static final double ZERO_THRESHOLD = Math.max(0, MAPPING.minIndexableValue());
    private static final QuantileSketch EMPTY = new QuantileSketch(Bins.NONE, Bins.NONE, 0);

    /** Bins of positive values and of the magnitudes of negative ones. */
    private final Bins positive;
    private final Bins negative;
    private final double zeroCount;

    private QuantileSketch(Bins positive, Bins negative, double zeroCount) {
        this.positive = positive;
        this.negative = negative;
        this.zeroCount = zeroCount;
    }

    public static QuantileSketch empty() {
        return EMPTY;
    }

    /**
     * A new sketch holding this one's values and {@code value}.
     *
     * @throws IllegalArgumentException for NaN or a magnitude beyond the mapping's range (about 10^307)
     */
    public QuantileSketch add(double value) {
        if (Double.isNaN(value) || value > MAPPING.maxIndexableValue() || value < -MAPPING.maxIndexableValue()) {
            throw new IllegalArgumentException("the sketch cannot track " + value);
        }
        if (value > ZERO_THRESHOLD) {
            return new QuantileSketch(positive.add(MAPPING.index(value)), negative, zeroCount);
        }
        if (value < -ZERO_THRESHOLD) {
            return new QuantileSketch(positive, negative.add(MAPPING.index(-value)), zeroCount);
        }
        return new QuantileSketch(positive, negative, zeroCount + 1);
    }

    /** A new sketch holding the values of both. */
    public QuantileSketch merge(QuantileSketch other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        return new QuantileSketch(positive.merge(other.positive), negative.merge(other.negative),
                zeroCount + other.zeroCount);
    }

    public boolean isEmpty() {
        return total() == 0;
    }

    public long count() {
        return Math.round(total());
    }

    private double total() {
        return positive.total + negative.total + zeroCount;
    }

    /** The value at quantile {@code q} in [0, 1]; NaN for an empty sketch. */
    public double quantile(double q) {
        check(q);
        return isEmpty() ? Double.NaN : valueAt(q * (total() - 1));
    }

    /** The values at several quantiles; NaN each for an empty sketch. */
    public double[] quantiles(double... qs) {
        for (double q : qs) {
            check(q);
        }
        double[] values = new double[qs.length];
        for (int i = 0; i < qs.length; i++) {
            values[i] = isEmpty() ? Double.NaN : valueAt(qs[i] * (total() - 1));
        }
        return values;
    }

    private static void check(double q) {
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be within [0, 1], got " + q);
        }
    }

    /** DDSketch's walk: negative values from the most negative, then zero, then positive ones. */
    private double valueAt(double rank) {
        double n = 0;
        for (int i = negative.index.length - 1; i >= 0; i--) {
            if ((n += negative.count[i]) > rank) {
                return -MAPPING.value(negative.index[i]);
            }
        }
        if ((n += zeroCount) > rank) {
            return 0;
        }
        for (int i = 0; i < positive.index.length; i++) {
            if ((n += positive.count[i]) > rank) {
                return MAPPING.value(positive.index[i]);
            }
        }
        // Rounding of the counts cannot leave the rank beyond the last bin, but never answer nothing.
        return positive.index.length > 0 ? MAPPING.value(positive.index[positive.index.length - 1]) : 0;
    }

    /**
     * DDSketch binary encoding, index mapping included, so any DDSketch library can read it.
     * Written here from the sparse bins, as DDSketch writes a sketch whose stores are sparse
     * (index deltas and counts), with DDSketch's own flags and variable-length encoders:
     * building a DDSketch with dense stores just to encode it was 15 % of the stream threads'
     * time (JFR, BENCHMARKS.md).
     */
    public byte[] toBytes() {
        GrowingByteArrayOutput output = GrowingByteArrayOutput.withInitialCapacity(
                16 + 10 * (positive.index.length + negative.index.length));
        try {
            MAPPING.encode(output);
            if (zeroCount != 0) {
                Flag.ZERO_COUNT.encode(output);
                VarEncodingHelper.encodeVarDouble(output, zeroCount);
            }
            positive.encode(output, Flag.Type.POSITIVE_STORE);
            negative.encode(output, Flag.Type.NEGATIVE_STORE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode sketch", e);
        }
        return output.trimmedCopy();
    }

    /**
     * Reads {@link #toBytes()} or any DDSketch encoding with this index mapping.
     *
     * @throws IllegalArgumentException when the bytes are not a DDSketch encoding
     */
    public static QuantileSketch fromBytes(byte[] bytes) {
        if (bytes.length == 0) {
            return EMPTY;
        }
        DDSketch decoded;
        try {
            decoded = DDSketch.decode(ByteArrayInput.wrap(bytes), Collector::new);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DDSketch encoding: " + e.getMessage(), e);
        }
        if (!MAPPING.equals(decoded.getIndexMapping())) {
            throw new IllegalArgumentException("not a sketch of this index mapping: " + decoded.getIndexMapping());
        }
        Collector positive = (Collector) decoded.getPositiveValueStore();
        Collector negative = (Collector) decoded.getNegativeValueStore();
        Bins pos = positive.toBins();
        Bins neg = negative.toBins();
        double zero = decoded.getCount() - pos.total - neg.total;
        return new QuantileSketch(pos, neg, Math.max(0, zero));
    }

    @Override
    public String toString() {
        return "QuantileSketch[count=" + count() + ", p50=" + quantile(0.5) + ", p99=" + quantile(0.99) + "]";
    }

    /**
     * Immutable bins of one sign: indexes ascending, never shared with a writer. An update
     * returns new bins that reuse the index array when no bin is added.
     */
    private static final class Bins {
        static final Bins NONE = new Bins(new int[0], new double[0], 0);

        final int[] index;
        final double[] count;
        final double total;

        private Bins(int[] index, double[] count, double total) {
            this.index = index;
            this.count = count;
            this.total = total;
        }

        /** Bins from any order of (index, count) pairs, duplicates summed. */
        static Bins of(int[] index, double[] count, int n) {
            if (n == 0) {
                return NONE;
            }
            boolean sorted = true;
            for (int i = 1; i < n && sorted; i++) {
                sorted = index[i - 1] < index[i];
            }
            Bins bins = NONE;
            if (sorted) {
                double total = 0;
                for (int i = 0; i < n; i++) {
                    total += count[i];
                }
                bins = new Bins(Arrays.copyOf(index, n), Arrays.copyOf(count, n), total);
            } else {
                for (int i = 0; i < n; i++) {
                    bins = bins.merge(new Bins(new int[] {index[i]}, new double[] {count[i]}, count[i]));
                }
            }
            return bins.collapsed();
        }

        Bins add(int bin) {
            int at = Arrays.binarySearch(index, bin);
            if (at >= 0) {
                double[] counts = count.clone();
                counts[at] += 1;
                return new Bins(index, counts, total + 1);
            }
            at = -at - 1;
            int n = index.length;
            int[] indexes = new int[n + 1];
            double[] counts = new double[n + 1];
            System.arraycopy(index, 0, indexes, 0, at);
            System.arraycopy(count, 0, counts, 0, at);
            indexes[at] = bin;
            counts[at] = 1;
            System.arraycopy(index, at, indexes, at + 1, n - at);
            System.arraycopy(count, at, counts, at + 1, n - at);
            return new Bins(indexes, counts, total + 1).collapsed();
        }

        Bins merge(Bins other) {
            if (other.index.length == 0) {
                return this;
            }
            if (index.length == 0) {
                return other;
            }
            int[] indexes = new int[index.length + other.index.length];
            double[] counts = new double[indexes.length];
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < index.length || j < other.index.length) {
                if (j == other.index.length || (i < index.length && index[i] < other.index[j])) {
                    indexes[k] = index[i];
                    counts[k++] = count[i++];
                } else if (i == index.length || other.index[j] < index[i]) {
                    indexes[k] = other.index[j];
                    counts[k++] = other.count[j++];
                } else {
                    indexes[k] = index[i];
                    counts[k++] = count[i++] + other.count[j++];
                }
            }
            return new Bins(Arrays.copyOf(indexes, k), Arrays.copyOf(counts, k), total + other.total).collapsed();
        }

        /** As CollapsingLowestDenseStore: bins more than MAX_BINS below the highest fold into the lowest kept one. */
        Bins collapsed() {
            int n = index.length;
            if (n == 0) {
                return this;
            }
            int floor = index[n - 1] - MAX_BINS + 1;
            if (index[0] >= floor) {
                return this;
            }
            int below = 0;
            double folded = 0;
            while (index[below] < floor) {
                folded += count[below++];
            }
            boolean floorKept = index[below] == floor;
            int size = n - below + (floorKept ? 0 : 1);
            int[] indexes = new int[size];
            double[] counts = new double[size];
            indexes[0] = floor;
            counts[0] = folded + (floorKept ? count[below] : 0);
            int from = floorKept ? below + 1 : below;
            System.arraycopy(index, from, indexes, 1, n - from);
            System.arraycopy(count, from, counts, 1, n - from);
            return new Bins(indexes, counts, total);
        }

        Iterator<Bin> bins(boolean ascending) {
            List<Bin> out = new ArrayList<>(index.length);
            for (int i = 0; i < index.length; i++) {
                int at = ascending ? i : index.length - 1 - i;
                out.add(new Bin(index[at], count[at]));
            }
            return out.iterator();
        }

        /** As DDSketch's SparseStore writes itself: nothing when empty, else flag, bin count, (index delta, count)*. */
        void encode(GrowingByteArrayOutput output, Flag.Type type) throws IOException {
            if (index.length == 0) {
                return;
            }
            BinEncodingMode.INDEX_DELTAS_AND_COUNTS.toFlag(type).encode(output);
            VarEncodingHelper.encodeUnsignedVarLong(output, index.length);
            long previous = 0;
            for (int i = 0; i < index.length; i++) {
                VarEncodingHelper.encodeSignedVarLong(output, index[i] - previous);
                VarEncodingHelper.encodeVarDouble(output, count[i]);
                previous = index[i];
            }
        }
    }

    /**
     * A write-only DDSketch store that decoding fills with (index, count) pairs, so reading
     * an aggregate allocates no dense array. Only what decoding and the count use is supported.
     */
    private static final class Collector implements Store {
        private int[] index = new int[16];
        private double[] count = new double[16];
        private int n;

        @Override
        public void add(int bin, double binCount) {
            if (binCount == 0) {
                return;
            }
            if (n == index.length) {
                index = Arrays.copyOf(index, n * 2);
                count = Arrays.copyOf(count, n * 2);
            }
            index[n] = bin;
            count[n++] = binCount;
        }

        Bins toBins() {
            return Bins.of(index, count, n);
        }

        @Override
        public double getTotalCount() {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += count[i];
            }
            return total;
        }

        @Override
        public boolean isEmpty() {
            return n == 0;
        }

        @Override
        public Store copy() {
            throw new UnsupportedOperationException("decode-only store");
        }

        @Override
        public void clear() {
            n = 0;
        }

        @Override
        public Iterator<Bin> getAscendingIterator() {
            return toBins().bins(true);
        }

        @Override
        public Iterator<Bin> getDescendingIterator() {
            return toBins().bins(false);
        }

        @Override
        public void encode(com.datadoghq.sketch.ddsketch.encoding.Output output, Flag.Type type) {
            throw new UnsupportedOperationException("decode-only store");
        }
    }
}
