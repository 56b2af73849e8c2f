package io.rollcall.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A tiny run of the benchmark: a few rollouts of two scenarios through the real topology and both reference judges. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerdictQualityBenchmarkTest {

    private static final List<String> SCENARIOS = List.of("latency x2", "no traffic");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private Map<String, Report.Row> rows;

    @BeforeAll
    void runTiny() throws InterruptedException {
        List<Scenario> scenarios = Scenarios.corpus(2).stream().filter(s -> SCENARIOS.contains(s.name()))
                .map(s -> s.withRollouts(2)).toList();
        var settings = new VerdictQualityBenchmark.Settings(1, 2, 4, 2, 1);
        rows = new VerdictQualityBenchmark(settings, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(scenarios).stream()
                .collect(Collectors.toMap(row -> row.scenario().name(), Function.identity()));
    }

    @Test
    void everyJudgeEndsEveryRollout() {
        assertThat(rows).containsOnlyKeys(SCENARIOS);
        assertThat(rows.values()).allSatisfy(row -> assertThat(row.tallies()).containsOnlyKeys(
                "rollcall", "point estimate", "Mann-Whitney").allSatisfy((judge, tally) ->
                assertThat(tally.rollouts()).isEqualTo(2)));
    }

    @Test
    void rollcallRollsBackACanaryTwiceAsSlow() {
        assertThat(rows.get("latency x2").tallies().get("rollcall").rolledBackWithin(2)).isEqualTo(2);
    }

    @Test
    void rollcallDecidesNothingWithoutTraffic() {
        assertThat(rows.get("no traffic").tallies().get("rollcall").undecided()).isEqualTo(2);
    }

    @Test
    void printsBothTablesAndTheSeed() {
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("| scenario | judge | rollouts | promoted |")
                .contains("| scenario | target | rollcall | point estimate | Mann-Whitney |")
                .contains("seed 1: 4 rollouts in");
    }
}
