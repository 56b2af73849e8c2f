package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.rollout.SpecValidator.Problem;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {

    private static final Slo ERRORS = RolloutDriver.errorRate(0.01, null);

    private static RolloutSpec.Builder valid() {
        return RolloutDriver.spec("checkout", ERRORS);
    }

    private static List<Problem> problems(RolloutSpec.Builder spec) {
        return SpecValidator.problems(spec.build());
    }

    @Test
    void aValidSpecHasNoProblems() {
        assertThat(problems(valid())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rolloutId", "service", "baselineRevision", "canaryRevision", "metric"})
    void aBlankNameIsRefused(String field) {
        RolloutSpec spec = valid().build();
        spec.put(field, " ");

        assertThat(SpecValidator.problems(spec)).contains(new Problem(field, "must not be empty"));
    }

    @Test
    void aNameLongerThan256CharactersIsRefused() {
        assertThat(problems(valid().setMetric("m".repeat(257))))
                .containsExactly(new Problem("metric", "at most 256 characters, got 257"));
    }

    @Test
    void aNameOf256CharactersIsAccepted() {
        assertThat(problems(valid().setMetric("m".repeat(256)))).isEmpty();
    }

    @Test
    void theCanaryRevisionMustDifferFromTheBaseline() {
        assertThat(problems(valid().setBaselineRevision("v2").setCanaryRevision("v2")))
                .containsExactly(new Problem("canaryRevision", "must differ from baselineRevision"));
    }

    @Test
    void atLeastOneSloIsRequired() {
        assertThat(problems(valid().setSlos(List.of())))
                .containsExactly(new Problem("slos", "at least one SLO is required"));
    }

    @Test
    void atMostSixteenSlosAreAllowed() {
        assertThat(problems(valid().setSlos(Collections.nCopies(17, ERRORS))))
                .containsExactly(new Problem("slos", "at most 16 SLOs, got 17"));
    }

    @Test
    void sixteenSlosAreAllowed() {
        assertThat(problems(valid().setSlos(Collections.nCopies(16, ERRORS)))).isEmpty();
    }

    @Test
    void eachSlosProblemsAreNamedByItsIndex() {
        Slo noBounds = Slo.newBuilder().setKind(SloKind.ERROR_RATE).build();

        assertThat(problems(valid().setSlos(List.of(ERRORS, noBounds)))).containsExactly(
                new Problem("slos[1].threshold", "a threshold or a maxRelativeIncrease is required"));
    }

    @ParameterizedTest
    @ValueSource(longs = {999, 3_600_001, 0, -10_000})
    void theAnalysisWindowIsFromOneSecondToOneHour(long window) {
        assertThat(problems(valid().setAnalysisWindow(window)))
                .containsExactly(new Problem("analysisWindow", "must be from 1 s to 1 h (in ms), got " + window));
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000, 3_600_000})
    void theAnalysisWindowMayBeExactlyOneSecondOrOneHour(long window) {
        assertThat(problems(valid().setAnalysisWindow(window))).isEmpty();
    }

    @Test
    void minSamplesIsAtLeastOne() {
        assertThat(problems(valid().setMinSamples(0)))
                .containsExactly(new Problem("minSamples", "must be at least 1, got 0"));
    }

    @Test
    void failureLimitIsAtLeastOne() {
        assertThat(problems(valid().setFailureLimit(0)))
                .containsExactly(new Problem("failureLimit", "must be at least 1, got 0"));
    }

    @Test
    void successWindowsIsAtLeastOne() {
        assertThat(problems(valid().setSuccessWindows(-1)))
                .containsExactly(new Problem("successWindows", "must be at least 1, got -1"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.9999, 1.0, Double.NaN})
    void confidenceIsStrictlyBetweenHalfAndFourNines(double confidence) {
        assertThat(problems(valid().setConfidence(confidence)))
                .containsExactly(new Problem("confidence", "must be in (0.5, 0.9999), got " + confidence));
    }

    @Test
    void startedAtIsAfter1970() {
        assertThat(problems(valid().setStartedAt(Instant.EPOCH)))
                .containsExactly(new Problem("startedAt", "must be a time after 1970"));
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        assertThat(problems(valid().setMinSamples(0).setFailureLimit(0))).extracting(Problem::field)
                .containsExactly("minSamples", "failureLimit");
    }
}
