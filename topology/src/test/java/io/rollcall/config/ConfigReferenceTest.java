package io.rollcall.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.app.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    private static final Path COMMITTED = Path.of("..", "docs", "configuration.md").toAbsolutePath().normalize();

    @Test
    void committedReferenceIsTheGeneratedOne() throws Exception {
        assertThat(Files.readString(COMMITTED))
                .as("docs/configuration.md is not what io.rollcall.config.RollcallSettings declares; regenerate it "
                        + "from the repository root: " + ConfigReference.REGENERATE)
                .isEqualTo(ConfigReference.markdown());
    }

    @Test
    void referenceShowsTheCommandThatRegeneratesIt() {
        assertThat(ConfigReference.markdown()).startsWith("<!--").contains(ConfigReference.REGENERATE);
    }

    @Test
    void referenceListsEverySettingWithItsEnvironmentVariable() {
        String reference = ConfigReference.markdown();
        assertThat(RollcallConfig.DEFAULTS.keySet()).allSatisfy(key -> assertThat(reference)
                .contains("| `" + key + "` | `" + RollcallSettings.environmentVariable(key) + "` |"));
    }

    @Test
    void referenceShowsTheStateDirectoryDefaultIndependentlyOfTheMachine() {
        assertThat(ConfigReference.markdown())
                .contains("`${java.io.tmpdir}/rollcall-state`")
                .doesNotContain(RollcallConfig.DEFAULTS.get(RollcallSettings.STATE_DIR));
    }

    @Test
    void referenceNamesEveryKafkaStreamsSettingRollcallSets() {
        String reference = ConfigReference.markdown();
        assertThat(StreamsSettings.of(RollcallConfig.of(Map.of()), new HostInfo("localhost", 8080))
                .stringPropertyNames())
                .filteredOn(key -> !key.startsWith(RollcallConfig.PREFIX))
                .allSatisfy(key -> assertThat(reference).contains("`" + key + "`"));
    }

    @Test
    void referenceListsTheVariablesThatAreNotSettings() {
        String reference = ConfigReference.markdown();
        assertThat(RollcallConfig.NOT_SETTINGS).allSatisfy(name -> assertThat(reference).contains("| `" + name + "` |"));
    }
}
