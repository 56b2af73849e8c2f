package io.rollcall.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenariosTest {

    @Test
    void theHealthyScenarioRunsEnoughRolloutsForItsTargetByDefault() {
        Scenario healthy = Scenarios.corpus(200).get(0);

        assertThat(healthy.name()).isEqualTo("healthy");
        assertThat(healthy.rollouts()).isEqualTo(Scenarios.HEALTHY_TARGET);
    }

    @Test
    void selectingKeepsTheCorpusOrder() {
        assertThat(Scenarios.select(1, List.of("no traffic", "healthy"))).extracting(Scenario::name)
                .containsExactly("healthy", "no traffic");
    }

    @Test
    void anUnknownScenarioIsRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> Scenarios.select(1, List.of("heathly")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown scenario \"heathly\"")
                .hasMessageContaining("\"latency x1.25, bimodal\"");
    }
}
