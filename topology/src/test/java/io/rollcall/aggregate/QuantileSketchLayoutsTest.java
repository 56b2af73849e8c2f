package io.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.golden.GoldenFixtures;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sketch bytes as released code wrote them into aggregates (the {@code sketch} field of
 * MetricAggregate) and judge states, read by today's code. Fixtures, written once and never
 * regenerated:
 * <ul>
 *   <li>{@code QuantileSketch-dense.bin}: by the code of commit 1f361c1, whose sketch was a
 *       DDSketch with a dense store: 0 and 40 latencies from 80 ms, each 1 % above the last,
 *       which fill consecutive bins and so were written as contiguous counts;</li>
 *   <li>{@code QuantileSketch-sparse.bin}: by the code of commit 94e2ed4, which writes index
 *       deltas and counts: the values of {@link #SPARSE}.</li>
 * </ul>
 * The expected quantiles are those the writing code reported for its sketch. An encoding
 * that changes adds a fixture written by the code that introduces it.
 */
class QuantileSketchLayoutsTest {

    private static final double[] QS = {0, 0.25, 0.5, 0.75, 0.9, 0.99, 1};

    private static final double[] SPARSE = {0.0, 0.42, 3.5, 12.25, 12.3, 87.0, 87.0, 250.75, 1999.5, 40000.0};

    static Stream<Arguments> released() {
        return Stream.of(
                Arguments.of("QuantileSketch-dense.bin", 41, new double[] {0.0, 87.36537231979759,
                        96.55399060010242, 106.70901815286027, 113.30776194957431, 115.59680764552535,
                        117.93209668886924}),
                Arguments.of("QuantileSketch-sparse.bin", 10, new double[] {0.0, 3.4903138713917436,
                        12.305344364474363, 87.36537231979759, 2018.689221230939, 2018.689221230939,
                        39747.53154595119}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("released")
    void everyReleasedEncodingReadsToTheCountItWasWrittenWith(String fixture, long count, double[] quantiles) {
        assertThat(QuantileSketch.fromBytes(GoldenFixtures.bytes(fixture)).count()).isEqualTo(count);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("released")
    void everyReleasedEncodingReadsToTheQuantilesItWasWrittenWith(String fixture, long count, double[] quantiles) {
        assertThat(QuantileSketch.fromBytes(GoldenFixtures.bytes(fixture)).quantiles(QS)).containsExactly(quantiles);
    }

    /** The values each fixture was written with, sorted: for the exact quantiles, independent of any sketch code. */
    static Stream<Arguments> writtenValues() {
        double[] dense = new double[41];
        for (int k = 1; k < dense.length; k++) {
            dense[k] = 80 * Math.pow(1.01, k - 1);
        }
        return Stream.of(Arguments.of("QuantileSketch-dense.bin", dense),
                Arguments.of("QuantileSketch-sparse.bin", SPARSE.clone()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writtenValues")
    void everyReleasedEncodingReadsWithinOnePercentOfTheExactQuantilesOfWhatWasWritten(String fixture,
            double[] values) {
        java.util.Arrays.sort(values);
        double[] read = QuantileSketch.fromBytes(GoldenFixtures.bytes(fixture)).quantiles(QS);
        for (int i = 0; i < QS.length; i++) {
            double exact = values[(int) Math.floor(QS[i] * (values.length - 1))];
            assertThat(read[i]).as("q%s of %s", QS[i], fixture).isCloseTo(exact, org.assertj.core.data.Offset.offset(
                    0.01 * Math.abs(exact)));
        }
    }

    @Test
    void theCurrentEncodingIsWrittenByteForByteAsItsFixture() {
        QuantileSketch sketch = QuantileSketch.empty();
        for (double value : SPARSE) {
            sketch = sketch.add(value);
        }

        assertThat(sketch.toBytes())
                .as("the sketch encoding changed: keep it a DDSketch encoding (other readers decode it), keep "
                        + "reading every fixture here, and add a fixture QuantileSketch-<encoding>.bin written by "
                        + "the new code")
                .isEqualTo(GoldenFixtures.bytes("QuantileSketch-sparse.bin"));
    }
}
