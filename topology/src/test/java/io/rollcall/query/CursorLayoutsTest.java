package io.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.SeriesId;
import org.junit.jupiter.api.Test;

/**
 * The paging cursor clients hold across upgrades, as released code wrote it.
 * {@link #VERSION_ONE} was written once by the code of commit 94e2ed4 (the {@code v1:}
 * layout, unchanged since the cursor was introduced) and is never regenerated; a new layout
 * adds a constant written by the code that introduces it.
 */
class CursorLayoutsTest {

    /** The cursor after id 18446744073709551614, the largest but one. */
    private static final String VERSION_ONE = "djE6MTg0NDY3NDQwNzM3MDk1NTE2MTQ";

    private static final SeriesId LAST = SeriesId.of(-2L);

    @Test
    void aVersionOneCursorResumesAfterTheIdItWasWrittenFor() {
        assertThat(Cursor.parse(VERSION_ONE)).isEqualTo(LAST);
    }

    @Test
    void theCurrentCursorIsWrittenCharacterForCharacterAsVersionOne() {
        assertThat(Cursor.after(LAST))
                .as("the cursor layout changed: raise its version prefix, keep reading v1: cursors, "
                        + "and add a constant written by the new code")
                .isEqualTo(VERSION_ONE);
    }
}
