package io.rollcall.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.quality.WindowJudge.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowRuleTest {

    private static final QualitySpec SPEC = QualitySpec.standard();

    /** A judge that gives the listed outcomes in turn, then NODATA; the samples do not matter. */
    private static Ending run(Outcome... outcomes) {
        List<Outcome> script = List.of(outcomes);
        int[] next = {0};
        WindowJudge scripted = new WindowJudge() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public Outcome judge(WindowSamples window) {
                return next[0] < script.size() ? script.get(next[0]++) : Outcome.NODATA;
            }
        };
        return WindowRule.run(scripted, SPEC, 20, window -> null);
    }

    @Test
    void rollsBackAtTheFailureLimitCountingAllFailures() {
        assertThat(run(Outcome.FAIL, Outcome.PASS, Outcome.FAIL)).isEqualTo(Ending.rolledBack(3));
    }

    @Test
    void promotesAfterTheConsecutivePassingWindows() {
        assertThat(run(Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.PASS))
                .isEqualTo(Ending.promoted(SPEC.successWindows()));
    }

    @Test
    void windowsWithoutDataNeitherCountNorBreakTheRun() {
        assertThat(run(Outcome.PASS, Outcome.NODATA, Outcome.PASS, Outcome.PASS, Outcome.NODATA, Outcome.PASS,
                Outcome.PASS, Outcome.PASS)).isEqualTo(Ending.promoted(8));
    }

    @Test
    void aFailureStartsTheRunOfPassesAgain() {
        assertThat(run(Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.FAIL,
                Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.PASS))
                .isEqualTo(Ending.promoted(12));
    }

    @Test
    void isUndecidedAtTheCapWithoutData() {
        assertThat(run()).isEqualTo(Ending.undecided(20));
    }
}
