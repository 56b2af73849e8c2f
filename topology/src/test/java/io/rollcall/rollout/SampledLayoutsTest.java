package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.golden.GoldenFixtures;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records of the internal {@code rollout-samples} topic as released samplers wrote them,
 * read by today's judge. Fixtures, written once by the code of commit 94e2ed4 and never
 * regenerated: {@code Sample-format1.bin} and {@code Progress-format2.bin}, each holding the
 * value given with it below. A layout that changes takes a new format byte and adds
 * {@code <Record>-format<N>.bin} written by the code that introduces it. Records of an
 * unknown format are refused in {@link SampledTest}.
 */
class SampledLayoutsTest {

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of("Sample-format1.bin", new Sample("checkout-r7", Role.BASELINE, 118.25, true,
                        1_764_151_200_123L)),
                Arguments.of("Progress-format2.bin", new Progress(11, 1_764_151_260_000L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void everyFormatReadsToTheValueItWasWrittenWith(String fixture, Sampled written) {
        assertThat(Sampled.fromBytes(GoldenFixtures.bytes(fixture))).isEqualTo(written);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void everyFormatIsWrittenByteForByteAsItsFixture(String fixture, Sampled written) {
        assertThat(written.toBytes())
                .as("the %s layout changed: give it a new format byte, keep reading this one, "
                        + "and add a fixture %s-format<N>.bin written by the new code",
                        written.getClass().getSimpleName(), written.getClass().getSimpleName())
                .isEqualTo(GoldenFixtures.bytes(fixture));
    }
}
