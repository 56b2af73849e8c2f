package io.rollcall.query;

import io.rollcall.schema.InvalidSeriesIdException;
import io.rollcall.schema.SeriesId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque scan cursor: the last id a page returned. The next page starts strictly
 * after it, so no id is skipped or repeated, whatever happened to other ids in between.
 * Encoded so clients treat it as opaque and so the format can change with its version.
 */
public final class Cursor {

    private static final String VERSION = "v1:";
    private static final int MAX_LENGTH = 64;

    private Cursor() {
    }

    public static String after(SeriesId last) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + last).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @throws IllegalArgumentException when the text is not a cursor this version wrote
     */
    public static SeriesId parse(String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("cursor is not one this API returned (too long)");
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!decoded.startsWith(VERSION)) {
                throw new IllegalArgumentException("cursor is not one this API returned");
            }
            return SeriesId.parse(decoded.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidSeriesIdException || e.getMessage() == null
                    || !e.getMessage().startsWith("cursor")) {
                throw new IllegalArgumentException("cursor is not one this API returned", e);
            }
            throw e;
        }
    }
}
