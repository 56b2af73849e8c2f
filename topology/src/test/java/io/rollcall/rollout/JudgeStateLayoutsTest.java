package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.aggregate.QuantileSketch;
import io.rollcall.golden.GoldenFixtures;
import io.rollcall.schema.avro.Decision;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The judge's state as each released layout version wrote it to the judge store and its
 * changelog, read by today's code. Fixtures, written once and never regenerated:
 * <ul>
 *   <li>{@code JudgeState-v1.bin}: by the code of commit 1f361c1 (no evidence; its sketches
 *       are those of the DDSketch-backed QuantileSketch of that time);</li>
 *   <li>{@code JudgeState-v2.bin}: by the code of commit 6e11954 (evidence without the
 *       canary's counts);</li>
 *   <li>{@code JudgeState-v3.bin}: by the code of commit 94e2ed4 (evidence with the canary's
 *       counts), the current version.</li>
 * </ul>
 * Each holds the value its {@code version*} method below builds. A new version adds
 * {@code JudgeState-v<N>.bin} written by the code that introduces it.
 */
class JudgeStateLayoutsTest {

    private static final boolean FAILED = true;
    private static final boolean OK = false;

    /** The latest fixture, which today's code must write byte for byte. */
    private static final int CURRENT = 3;

    /** Sketches have no equals: the same count and the same value at every percentile. */
    private static final Comparator<QuantileSketch> SAME_SKETCH = Comparator
            .comparingLong(QuantileSketch::count)
            .thenComparing(sketch -> sketch.quantiles(percentiles()), Arrays::compare);

    static Stream<Arguments> released() {
        return Stream.of(
                Arguments.of(1, versionOne()),
                Arguments.of(2, versionTwo()),
                Arguments.of(3, versionThree()));
    }

    /** Written by 1f361c1; read with no evidence, which version 1 did not keep. */
    private static JudgeState versionOne() {
        return new JudgeState("checkout-r7", 4, 3, 1, null, open(Map.of(
                        4, window(canary(118.25, FAILED), canary(131.5, OK), canary(97.75, OK), canary(2004.0, OK),
                                baseline(88.5, OK), baseline(92.125, OK), baseline(410.0, FAILED)),
                        6, window(canary(101.5, OK), baseline(0.0, OK), baseline(77.25, OK)))),
                List.of("checkout-r5", "checkout-r6"), 12, 2, List.of());
    }

    /** Written by 6e11954; its evidence is read with the canary's counts at 0, which version 2 did not keep. */
    private static JudgeState versionTwo() {
        return new JudgeState("payments-r3", 7, 5, 2, Decision.ROLLBACK, open(Map.of(
                        8, window(canary(250.75, FAILED), canary(199.9, OK), canary(312.4, FAILED),
                                baseline(120.6, OK), baseline(118.3, OK)))),
                List.of("payments-r1", "payments-r3"), 8, 5,
                List.of(new Evidence(7, 2718.281828, 41.73, 0.15, 0, 0), new Evidence(7, 0.0321, -0.0057, 0.1, 0, 0)));
    }

    /** Written by 94e2ed4. */
    private static JudgeState versionThree() {
        return new JudgeState("search-r12", 2, 2, 0, Decision.PROMOTE, open(Map.of(
                        2, window(canary(43.7, OK), canary(51.25, OK), canary(48.0, FAILED), canary(980.5, OK),
                                baseline(45.1, OK), baseline(39.875, OK)),
                        3, window(baseline(44.4, FAILED), baseline(46.6, OK)))),
                List.of("search-r10", "search-r11", "search-r12"), 40, 3,
                List.of(new Evidence(2, 912.4, 27.3, 0.05, 4812, 37), new Evidence(2, 0.0321, -0.0057, 0.1, 4812, 37)));
    }

    @ParameterizedTest(name = "JudgeState-v{0}.bin")
    @MethodSource("released")
    void everyReleasedVersionReadsToTheStateItWasWrittenWith(int version, JudgeState written) {
        JudgeState read = JudgeState.fromBytes(fixture(version));

        assertThat(read).usingRecursiveComparison()
                .withComparatorForType(SAME_SKETCH, QuantileSketch.class)
                .isEqualTo(written);
    }

    @ParameterizedTest(name = "JudgeState-v{0}.bin")
    @MethodSource("released")
    void everyFixtureStartsWithTheVersionInItsName(int version, JudgeState ignored) {
        assertThat(fixture(version)[0]).isEqualTo((byte) version);
    }

    @Test
    void theCurrentVersionIsWrittenByteForByteAsItsFixture() {
        assertThat(versionThree().toBytes())
                .as("the judge state layout changed: raise JudgeState.VERSION, keep reading the old version, "
                        + "and add a fixture JudgeState-v<N>.bin written by the new code")
                .isEqualTo(fixture(CURRENT));
    }

    @Test
    void aStateOfALaterVersionIsRefusedAsOfAnUnknownVersion() {
        byte[] later = fixture(CURRENT);
        later[0] = CURRENT + 1;

        assertThatThrownBy(() -> JudgeState.fromBytes(later))
                .isInstanceOf(SerializationException.class)
                .hasMessage("judge state of an unknown version " + (CURRENT + 1) + "; this release reads versions 1 to "
                        + CURRENT);
    }

    private static byte[] fixture(int version) {
        return GoldenFixtures.bytes("JudgeState-v" + version + ".bin");
    }

    private static TreeMap<Integer, WindowStats> open(Map<Integer, WindowStats> windows) {
        return new TreeMap<>(windows);
    }

    private static WindowStats window(Sample... samples) {
        WindowStats window = WindowStats.empty();
        for (Sample sample : samples) {
            window = window.add(sample);
        }
        return window;
    }

    /** Only the role, latency and outcome of a sample reach the state. */
    private static Sample canary(double latencyMs, boolean error) {
        return new Sample("", Role.CANARY, latencyMs, error, 0);
    }

    private static Sample baseline(double latencyMs, boolean error) {
        return new Sample("", Role.BASELINE, latencyMs, error, 0);
    }

    private static double[] percentiles() {
        return IntStream.rangeClosed(0, 100).mapToDouble(p -> p / 100.0).toArray();
    }
}
