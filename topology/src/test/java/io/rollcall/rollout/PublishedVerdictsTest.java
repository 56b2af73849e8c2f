package io.rollcall.rollout;

import static io.rollcall.rollout.RolloutDriver.errorRate;
import static io.rollcall.rollout.RolloutDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.schema.registry.ConfluentFramed;
import io.rollcall.schema.registry.RegistryDecoder;
import io.rollcall.topology.RollcallTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verdicts written in the Confluent wire format when rollcall.registry.publish names them. */
class PublishedVerdictsTest {

    private static final int VERDICT_SCHEMA_ID = 12;

    @TempDir
    Path stateDir;

    @Test
    void aVerdictIsTheConfluentFramedRecordOfItsRegisteredSchema() {
        RolloutDriver driver = new RolloutDriver(stateDir, 1,
                Map.of("schema.registry.url", "http://registry:8081", "rollcall.registry.publish", "verdicts"),
                Optional.of(new RollcallTopology.Registry(id -> RolloutVerdict.getClassSchema(), OptionalInt.empty(),
                        OptionalInt.of(VERDICT_SCHEMA_ID))));
        driver.put(spec("search", errorRate(0.01, null)).build());
        driver.traffic("search", "v2", 0, 100, 50, 0, new Random(1));
        driver.closeWindow(0);

        byte[] value = driver.driver().createOutputTopic("rollout-verdicts", new StringDeserializer(),
                new ByteArrayDeserializer()).readValue();

        assertThat(ConfluentFramed.parse(value).schemaId()).isEqualTo(VERDICT_SCHEMA_ID);
        RolloutVerdict verdict = new RegistryDecoder<>(RolloutVerdict.class, RolloutVerdict.getClassSchema(),
                id -> RolloutVerdict.getClassSchema(), 10, Duration.ofMinutes(1)).decode(value);
        assertThat(verdict.getRolloutId()).isEqualTo("search-r1");
        assertThat(verdict.getDecision()).isEqualTo(Decision.CONTINUE);
        driver.driver().close();
    }
}
