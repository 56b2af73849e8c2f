package io.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schema.SeriesId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {

    @Property
    void resumesAfterExactlyTheIdItWasMadeFromAcrossTheWholeUnsignedRange(@ForAll long bits) {
        SeriesId last = SeriesId.of(bits);
        String cursor = Cursor.after(last);

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.parse(cursor)).isEqualTo(last);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-cursor", "!!!", "djI6MTIz", "", "dj"})
    void rejectsTextItDidNotWrite(String text) {
        assertThatThrownBy(() -> Cursor.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cursor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1:-1", "v1:18446744073709551616", "v1:abc", "v1:"})
    void rejectsACursorCarryingAnInvalidId(String decoded) {
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(decoded.getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Cursor.parse(cursor)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 1000, 100_000})
    void rejectsOverlongCursorsBeforeDecodingThem(int length) {
        assertThatThrownBy(() -> Cursor.parse("A".repeat(length)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }
}
