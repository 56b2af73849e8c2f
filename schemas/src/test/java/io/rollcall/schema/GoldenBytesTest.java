package io.rollcall.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values written by each released schema version, kept as bytes ({@code golden/<Record>-v<N>.bin},
 * single-object encoding) with what they hold ({@code .fields}: one field and its value per
 * line). Written once when the version was released and never regenerated: today's reader
 * must still read them to the same values. Fields added later are not in the files and are
 * not checked.
 */
class GoldenBytesTest {

    private static final String FOLDER = "/io/rollcall/schema/golden/";

    static Stream<Arguments> released() {
        return Stream.of(
                Arguments.of("MetricEvent-v1", AvroSerde.metricEvent()),
                Arguments.of("MetricEvent-v2", AvroSerde.metricEvent()),
                Arguments.of("MetricAggregate-v1", AvroSerde.metricAggregate()),
                Arguments.of("RolloutSpec-v1", AvroSerde.rolloutSpec()),
                Arguments.of("RolloutVerdict-v1", AvroSerde.rolloutVerdict()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("released")
    void bytesOfEveryReleasedVersionReadToTheValuesTheyWereWrittenWith(String version,
            AvroSerde<? extends SpecificRecord> serde) {
        GenericRecord decoded = (GenericRecord) serde.deserialize(read(version + ".bin"));

        for (String line : new String(read(version + ".fields"), StandardCharsets.UTF_8).split("\n")) {
            String[] field = line.split("\t", 2);
            assertThat(text(decoded.get(field[0]))).as("%s.%s", version, field[0]).isEqualTo(field[1]);
        }
    }

    /** How a value reads in the .fields files: bytes in hex, maps sorted by key. */
    private static String text(Object value) {
        if (value instanceof ByteBuffer bytes) {
            return HexFormat.of().formatHex(bytes.array());
        }
        return value instanceof Map<?, ?> map ? new TreeMap<>(map).toString() : String.valueOf(value);
    }

    private static byte[] read(String file) {
        try (InputStream in = GoldenBytesTest.class.getResourceAsStream(FOLDER + file)) {
            assertThat(in).as("fixture %s%s", FOLDER, file).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
