package io.rollcall.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class RollcallSettingsTest {

    @Test
    void everySettingIsDocumentedInAGroup() {
        assertThat(RollcallSettings.configDef().configKeys().values()).allSatisfy(key -> {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
        });
    }

    @Test
    void everySettingIsARollcallSettingOrNamedAsRegistryClientsNameIt() {
        assertThat(RollcallSettings.configDef().names()).filteredOn(name -> !name.startsWith("rollcall."))
                .containsExactlyInAnyOrderElementsOf(RollcallSettings.CLIENT_NAMED);
    }

    @Test
    void validatorsRefuseBadValuesThroughKafkasOwnParser() {
        ConfigDef config = RollcallSettings.configDef();
        assertThatThrownBy(() -> config.parse(Map.of(RollcallSettings.WINDOW_SIZE, "soon")))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageStartingWith("rollcall.window.size: 'soon' is not a duration");
    }

    @Test
    void configDefIsACopyThatCallersCannotChange() {
        RollcallSettings.configDef().define("rollcall.extra", ConfigDef.Type.STRING, ConfigDef.Importance.LOW, "x");
        assertThat(RollcallSettings.configDef().names()).doesNotContain("rollcall.extra");
    }
}
