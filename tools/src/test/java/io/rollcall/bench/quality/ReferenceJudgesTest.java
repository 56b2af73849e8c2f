package io.rollcall.bench.quality;

import static io.rollcall.bench.quality.Samples.role;
import static io.rollcall.bench.quality.Samples.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.quality.WindowJudge.Outcome;
import org.junit.jupiter.api.Test;

class ReferenceJudgesTest {

    private static final QualitySpec SPEC = QualitySpec.standard();
    private static final WindowJudge POINT = new PointEstimateJudge(SPEC);
    private static final WindowJudge MANN_WHITNEY = new MannWhitneyJudge(SPEC, VerdictQualityBenchmark.ALPHA);

    @Test
    void pointEstimatePassesACanaryLikeItsBaseline() {
        assertThat(POINT.judge(window(role(500, 1, 1), role(500, 1, 1)))).isEqualTo(Outcome.PASS);
    }

    @Test
    void pointEstimateFailsACanaryWhoseP95ExceedsTheAllowance() {
        assertThat(POINT.judge(window(role(500, 1.15, 0), role(500, 1, 0)))).isEqualTo(Outcome.FAIL);
    }

    @Test
    void pointEstimateFailsAnErrorRateJustAboveTheThreshold() {
        assertThat(POINT.judge(window(role(500, 1, 6), role(500, 1, 0)))).isEqualTo(Outcome.FAIL);
    }

    @Test
    void mannWhitneyPassesACanaryLikeItsBaseline() {
        assertThat(MANN_WHITNEY.judge(window(role(500, 1, 1), role(500, 1, 1)))).isEqualTo(Outcome.PASS);
    }

    @Test
    void mannWhitneyFailsACanaryTwiceAsSlow() {
        assertThat(MANN_WHITNEY.judge(window(role(500, 2, 0), role(500, 1, 0)))).isEqualTo(Outcome.FAIL);
    }

    @Test
    void mannWhitneyFailsAnErrorRateFiveTimesTheThreshold() {
        assertThat(MANN_WHITNEY.judge(window(role(500, 1, 25), role(500, 1, 0)))).isEqualTo(Outcome.FAIL);
    }

    @Test
    void mannWhitneyPassesAnErrorRateJustAboveTheThresholdWithoutEvidence() {
        assertThat(MANN_WHITNEY.judge(window(role(500, 1, 6), role(500, 1, 0)))).isEqualTo(Outcome.PASS);
    }

    @Test
    void bothHaveNoDataBelowMinSamples() {
        WindowSamples few = window(role(SPEC.minSamples() - 1, 3, 10), role(500, 1, 0));

        assertThat(POINT.judge(few)).isEqualTo(Outcome.NODATA);
        assertThat(MANN_WHITNEY.judge(few)).isEqualTo(Outcome.NODATA);
    }
}
