package io.rollcall.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScenarioGeneratorTest {

    private static final Scenario SLOWER = Scenarios.corpus(1).stream()
            .filter(s -> s.name().equals("latency x1.25")).findFirst().orElseThrow();

    @Test
    void theSameSeedGivesTheSameRequests() {
        WindowSamples first = new ScenarioGenerator(7, 10_000).window(SLOWER, 3, 2);
        WindowSamples again = new ScenarioGenerator(7, 10_000).window(SLOWER, 3, 2);

        assertThat(again).usingRecursiveComparison().isEqualTo(first);
    }

    @Test
    void anotherSeedGivesOtherRequests() {
        WindowSamples first = new ScenarioGenerator(7, 10_000).window(SLOWER, 3, 2);
        WindowSamples other = new ScenarioGenerator(8, 10_000).window(SLOWER, 3, 2);

        assertThat(other.canary().latencies()).isNotEqualTo(first.canary().latencies());
    }

    @Test
    void aWindowDoesNotDependOnWhichWindowsWereGeneratedBefore() {
        ScenarioGenerator fresh = new ScenarioGenerator(7, 10_000);
        ScenarioGenerator used = new ScenarioGenerator(7, 10_000);
        used.window(SLOWER, 3, 0);
        used.window(SLOWER, 4, 2);

        assertThat(used.window(SLOWER, 3, 2)).usingRecursiveComparison().isEqualTo(fresh.window(SLOWER, 3, 2));
    }

    @Test
    void requestsArriveInOrderWithinTheWindow() {
        WindowSamples window = new ScenarioGenerator(7, 10_000).window(SLOWER, 0, 0);

        assertThat(window.canaryOffsets()).hasSize(Scenarios.REQUESTS).isSorted();
        assertThat(window.canaryOffsets()[0]).isNotNegative();
        assertThat(window.canaryOffsets()[Scenarios.REQUESTS - 1]).isLessThan(10_000);
    }
}
