package io.rollcall.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.avro.MetricAggregate;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The released versions of every record rollcall persists (topics, changelogs, stores) guard
 * the schemas in {@code schemas/src/main/avro}: a changed schema must be released as a new
 * version, readable from every older one, and — for the topics others read — readable by them.
 */
class ReleasedSchemasTest {

    private static final String HOW = "to change a schema, add its new version as "
            + "schemas/src/main/resources/io/rollcall/schema/released/<Record>-v<N+1>.avsc (self-contained: "
            + "Schema.toString(true) of the generated class), list it last for its record in index.txt, and add "
            + "bytes written by it to the golden fixtures (GoldenBytesTest)";

    static Stream<Schema> persisted() {
        return Stream.of(MetricEvent.getClassSchema(), MetricAggregate.getClassSchema(),
                RolloutSpec.getClassSchema(), RolloutVerdict.getClassSchema());
    }

    /** Records of the output topics, read by consumers rollcall does not upgrade (Connect sinks, dashboards). */
    static Stream<Schema> published() {
        return Stream.of(MetricAggregate.getClassSchema(), RolloutVerdict.getClassSchema());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("persisted")
    void theLatestReleasedVersionIsTheCurrentSchema(Schema current) {
        List<Schema> released = ReleasedSchemas.of(current.getFullName());

        assertThat(released).as("%s has no released version; %s", current.getName(), HOW).isNotEmpty();
        assertThat(SchemaNormalization.parsingFingerprint64(released.get(released.size() - 1)))
                .as("%s differs from its latest released version; %s", current.getName(), HOW)
                .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("persisted")
    void theCurrentReaderReadsEveryReleasedWriter(Schema current) {
        for (Schema writer : ReleasedSchemas.of(current.getFullName())) {
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, writer).getType())
                    .as("%s cannot read a released version; new fields need defaults, and nothing may be removed "
                            + "or retyped that older writers wrote", current.getName())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("published")
    void everyReleasedReaderReadsTheCurrentWriter(Schema current) {
        for (Schema reader : ReleasedSchemas.of(current.getFullName())) {
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(reader, current).getType())
                    .as("a consumer of %s on a released version cannot read what rollcall now writes; fields it "
                            + "needs must stay, and new ones need defaults", current.getName())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }
}
