package io.rollcall.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesIdTest {

    @ParameterizedTest
    @CsvSource({
        "0,                    0, 00 00 00 00 00 00 00 00",
        "9223372036854775807,  9223372036854775807, 7f ff ff ff ff ff ff ff",
        "9223372036854775808,  -9223372036854775808, 80 00 00 00 00 00 00 00",
        "18446744073709551615, -1, ff ff ff ff ff ff ff ff",
    })
    void parsesFormatsAndEncodesTheEdgesOfTheUnsignedRange(String text, long bits, String hex) {
        SeriesId id = SeriesId.parse(text);

        assertThat(id.bits()).isEqualTo(bits);
        assertThat(id.toString()).isEqualTo(text);
        assertThat(hex(id.toBytes())).isEqualTo(hex);
        assertThat(SeriesId.fromBytes(id.toBytes())).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "18446744073709551616", "99999999999999999999", "abc", "12a", "", "+1", " 1",
        "1 ", "0x10", "1e3", "123456789012345678901"})
    void rejectsTextThatIsNotAnUnsigned64BitDecimal(String text) {
        assertThatThrownBy(() -> SeriesId.parse(text))
                .isInstanceOf(InvalidSeriesIdException.class)
                .hasMessageContaining("series id");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 9, 16})
    void rejectsKeysThatAreNotEightBytes(int length) {
        assertThatThrownBy(() -> SeriesId.fromBytes(new byte[length]))
                .isInstanceOf(InvalidSeriesIdException.class)
                .hasMessageContaining("exactly 8 bytes, got " + length);
    }

    @Property
    void decimalTextRoundTrips(@ForAll long bits) {
        SeriesId id = SeriesId.of(bits);
        assertThat(SeriesId.parse(id.toString())).isEqualTo(id);
        assertThat(id.toString()).isEqualTo(Long.toUnsignedString(bits));
    }

    @Property
    void keyByteOrderIsUnsignedNumericOrder(@ForAll long a, @ForAll long b) {
        int byBytes = Integer.signum(Arrays.compareUnsigned(SeriesId.of(a).toBytes(), SeriesId.of(b).toBytes()));
        int byValue = Integer.signum(SeriesId.of(a).compareTo(SeriesId.of(b)));
        assertThat(byBytes).isEqualTo(byValue);
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(out.length() == 0 ? "" : " ").append(String.format("%02x", b));
        }
        return out.toString();
    }
}
