package io.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The sparse immutable sketch answers exactly as DDSketch with the same mapping and store would. */
class QuantileSketchTest {

    private static final double[] QS = {0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};

    private static DDSketch reference() {
        return new DDSketch(new LogarithmicMapping(QuantileSketch.RELATIVE_ACCURACY),
                () -> new CollapsingLowestDenseStore(2048));
    }

    @Test
    void latencyLikeValuesGiveDdSketchsQuantiles() throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        sameAsDdSketch(() -> Math.exp(3 + 1.5 * gaussian(random)), 5_000);
        sameAsDdSketch(() -> random.nextInt(100), 3_000); // many zeros and repeated bins
    }

    @Test
    void negativeZeroAndTinyValuesFollowDdSketchsZeroThresholdAndOrder() throws Exception {
        SplittableRandom random = new SplittableRandom(2);
        double[] odd = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-320, 1e-300, -1e-300, 1e300, -1e300};
        sameAsDdSketch(() -> random.nextInt(4) == 0 ? odd[random.nextInt(odd.length)]
                : (random.nextBoolean() ? -1 : 1) * Math.exp(10 * gaussian(random)), 4_000);
    }

    @Test
    void aRangeWiderThanTwoThousandBinsCollapsesItsLowestBinsAsDdSketchDoes() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        // 1e-250 .. 1e250 spans about 57,000 bins of a 1 % mapping: the lowest must collapse.
        sameAsDdSketch(() -> Math.pow(10, random.nextDouble(-250, 250)), 4_000);
    }

    @Test
    void mergingPartsGivesTheSketchOfTheWhole() {
        SplittableRandom random = new SplittableRandom(4);
        DDSketch whole = reference();
        QuantileSketch left = QuantileSketch.empty();
        QuantileSketch right = QuantileSketch.empty();
        for (int i = 0; i < 3_000; i++) {
            double value = random.nextInt(10) == 0 ? -random.nextDouble(1000) : Math.pow(10, random.nextDouble(-3, 30));
            whole.accept(value);
            if (random.nextBoolean()) {
                left = left.add(value);
            } else {
                right = right.add(value);
            }
        }
        QuantileSketch merged = left.merge(right);
        assertThat(merged.count()).isEqualTo(3_000);
        assertThat(merged.quantiles(QS)).containsExactly(whole.getValuesAtQuantiles(QS));
        assertThat(QuantileSketch.fromBytes(merged.toBytes()).quantiles(QS)).containsExactly(merged.quantiles(QS));
    }

    @Test
    void encodesByteForByteAsDdSketchWithSparseStoresAndRefusesAnotherMapping() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        DDSketch sparse = new DDSketch(new LogarithmicMapping(QuantileSketch.RELATIVE_ACCURACY),
                com.datadoghq.sketch.ddsketch.store.SparseStore::new);
        QuantileSketch sketch = QuantileSketch.empty();
        for (int i = 0; i < 2_000; i++) {
            double value = random.nextInt(20) == 0 ? 0 : (random.nextInt(5) == 0 ? -1 : 1) * random.nextDouble(1e6);
            sparse.accept(value);
            sketch = sketch.add(value);
        }
        GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
        sparse.encode(output, false);
        assertThat(sketch.toBytes()).isEqualTo(output.trimmedCopy());

        DDSketch other = new DDSketch(new LogarithmicMapping(0.05), com.datadoghq.sketch.ddsketch.store.SparseStore::new);
        other.accept(3);
        GrowingByteArrayOutput foreign = GrowingByteArrayOutput.withDefaultInitialCapacity();
        other.encode(foreign, false);
        assertThatThrownBy(() -> QuantileSketch.fromBytes(foreign.trimmedCopy()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuantileSketch.fromBytes(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void binsEncodedOutOfOrderOrRepeatedAreSummedPerIndex() throws Exception {
        LogarithmicMapping mapping = new LogarithmicMapping(QuantileSketch.RELATIVE_ACCURACY);
        int low = mapping.index(10);
        int high = mapping.index(1000);
        // Another writer's valid encoding: the bins of 1000, 10, 1000 in that order (index deltas may be negative).
        GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
        mapping.encode(output);
        com.datadoghq.sketch.ddsketch.encoding.BinEncodingMode.INDEX_DELTAS_AND_COUNTS
                .toFlag(com.datadoghq.sketch.ddsketch.encoding.Flag.Type.POSITIVE_STORE).encode(output);
        com.datadoghq.sketch.ddsketch.encoding.VarEncodingHelper.encodeUnsignedVarLong(output, 3);
        long previous = 0;
        for (int[] bin : new int[][] {{high, 2}, {low, 1}, {high, 3}}) {
            com.datadoghq.sketch.ddsketch.encoding.VarEncodingHelper.encodeSignedVarLong(output, bin[0] - previous);
            com.datadoghq.sketch.ddsketch.encoding.VarEncodingHelper.encodeVarDouble(output, bin[1]);
            previous = bin[0];
        }
        QuantileSketch read = QuantileSketch.fromBytes(output.trimmedCopy());
        DDSketch expected = reference();
        expected.accept(1000, 5);
        expected.accept(10, 1);
        assertThat(read.count()).isEqualTo(6);
        assertThat(read.quantiles(QS)).containsExactly(expected.getValuesAtQuantiles(QS));
    }

    @Test
    void anUpdateLeavesTheOriginalUnchanged() {
        QuantileSketch one = QuantileSketch.empty().add(10);
        QuantileSketch two = one.add(10).add(1000);
        assertThat(one.count()).isEqualTo(1);
        assertThat(one.quantile(1)).isEqualTo(QuantileSketch.empty().add(10).quantile(1));
        assertThat(two.count()).isEqualTo(3);
        assertThat(QuantileSketch.empty().quantile(0.5)).isNaN();
        assertThatThrownBy(() -> one.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void sameAsDdSketch(DoubleSupplier values, int n) throws java.io.IOException {
        DDSketch reference = reference();
        QuantileSketch sketch = QuantileSketch.empty();
        for (int i = 1; i <= n; i++) {
            double value = values.getAsDouble();
            reference.accept(value);
            sketch = sketch.add(value);
            if (i % 97 == 0 || i == n) {
                assertThat(sketch.quantiles(QS)).as("after %d values", i).containsExactly(reference.getValuesAtQuantiles(QS));
            }
        }
        assertThat(sketch.count()).isEqualTo(n);
        // Its encoding is DDSketch's: DDSketch reads it to the same quantiles, and we read DDSketch's.
        DDSketch decoded = DDSketch.decode(ByteArrayInput.wrap(sketch.toBytes()),
                () -> new CollapsingLowestDenseStore(2048));
        assertThat(decoded.getValuesAtQuantiles(QS)).containsExactly(reference.getValuesAtQuantiles(QS));
        assertThat(decoded.getCount()).isEqualTo(n);
        GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
        reference.encode(output, false);
        QuantileSketch read = QuantileSketch.fromBytes(output.trimmedCopy());
        assertThat(read.quantiles(QS)).containsExactly(reference.getValuesAtQuantiles(QS));
        assertThat(read.count()).isEqualTo(n);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
