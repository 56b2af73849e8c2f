package io.rollcall.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Bytes of the hand-rolled layouts (not Avro) that rollcall keeps in state stores, changelogs
 * and internal topics, as released code wrote them ({@code io/rollcall/golden/} among the test
 * resources). Each fixture was written once, by a small program run against the classes of
 * the commit its test names, and is never regenerated: a rolling upgrade meets exactly these
 * bytes. A new layout version adds a fixture written by the code that introduces it.
 */
public final class GoldenFixtures {

    private static final String FOLDER = "/io/rollcall/golden/";

    private GoldenFixtures() {
    }

    public static byte[] bytes(String file) {
        try (InputStream in = GoldenFixtures.class.getResourceAsStream(FOLDER + file)) {
            assertThat(in).as("fixture %s%s", FOLDER, file).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
