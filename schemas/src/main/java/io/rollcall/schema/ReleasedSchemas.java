package io.rollcall.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Every released writer schema, loaded from {@code io/rollcall/schema/released/index.txt}.
 * Readers register all of them so that records written by any released producer version
 * resolve to the current reader schema.
 */
public final class ReleasedSchemas {

    private static final String FOLDER = "/io/rollcall/schema/released/";
    private static final Map<String, List<Schema>> BY_FULL_NAME = load();

    private ReleasedSchemas() {
    }

    /** Released writer schemas of the record with this full name, oldest first. */
    public static List<Schema> of(String fullName) {
        return BY_FULL_NAME.getOrDefault(fullName, List.of());
    }

    private static Map<String, List<Schema>> load() {
        List<Schema> all = new ArrayList<>();
        for (String file : indexLines()) {
            try (InputStream in = resource(file)) {
                // A fresh parser per file: each released schema is self-contained and
                // must not see names defined by another version.
                all.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + file, e);
            }
        }
        return all.stream().collect(Collectors.groupingBy(Schema::getFullName, Collectors.toUnmodifiableList()));
    }

    private static List<String> indexLines() {
        try (InputStream in = resource("index.txt");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read released schema index", e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = ReleasedSchemas.class.getResourceAsStream(FOLDER + file);
        if (in == null) {
            throw new IllegalStateException("released schema resource missing: " + FOLDER + file);
        }
        return in;
    }
}
