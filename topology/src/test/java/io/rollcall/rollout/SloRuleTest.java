package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.rollout.SpecValidator.Problem;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parts of SLOs common to every kind: the text parser's dispatch, kind names, shared validation. */
class SloRuleTest {

    @Test
    void parsesEachKindsTextForm() {
        assertThat(SloRule.parse("p95<=300ms")).isInstanceOf(LatencySlo.class);
        assertThat(SloRule.parse("errors<=1%")).isInstanceOf(ErrorRateSlo.class);
    }

    @Test
    void ignoresCaseAndBlanksAroundTheOperators() {
        assertThat(SloRule.parse("  P95 <= 300 MS + 20 %  ")).isEqualTo(SloRule.parse("p95<=300ms+20%"));
    }

    @Test
    void readsTheQuantileAsAPercentageSoP5IsTheFifthPercentile() {
        assertThat(((LatencySlo) SloRule.parse("p5<=300ms")).quantile()).isEqualTo(0.05);
    }

    @Test
    void readsADottedQuantile() {
        assertThat(((LatencySlo) SloRule.parse("p99.9<=1s")).quantile()).isEqualTo(0.999);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p95 below 300", "latency<=300ms", "errors<=1", "p95>=300ms", "", "p95<=300ms+"})
    void refusesTextInNoKindsFormWithExamplesOfEach(String text) {
        assertThatThrownBy(() -> SloRule.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an SLO; write e.g. p95<=300ms, p99<=1s+50%, p95<=+10% or errors<=1%, errors<=+1%");
    }

    @Test
    void refusesAQuantileOutsideZeroToHundredPercent() {
        assertThatThrownBy(() -> SloRule.parse("p100<=300ms")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'p100' is not a quantile: the percentage must be above 0 and below 100");
    }

    @Test
    void refusesAnSloWithoutBoundsNamingTheMissingField() {
        assertThatThrownBy(() -> SloRule.parse("p95<=")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold: a threshold or a maxRelativeIncrease is required");
    }

    @Test
    void refusesWhatTheSpecValidationRefuses() {
        assertThatThrownBy(() -> SloRule.parse("errors<=150%")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold: an error rate is a fraction from 0 to 1, got 1.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"p95<=300ms", "p99.9<=1500ms+50%", "p95<=+10%", "p5<=12.5ms", "errors<=1%",
            "errors<=0.5%+20%", "errors<=+1%"})
    void theTextFormReadsBackAsTheSameSlo(String text) {
        SloRule slo = SloRule.parse(text);

        assertThat(slo.text()).isEqualTo(text);
        assertThat(SloRule.parse(slo.text())).isEqualTo(slo);
    }

    @Test
    void aSpecSloReadsAsItsKind() {
        Slo spec = Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(0.01).build();

        assertThat(SloRule.of(spec)).isEqualTo(new ErrorRateSlo(OptionalDouble.of(0.01), OptionalDouble.empty()));
    }

    @Test
    void anInvalidSpecSloIsNoRule() {
        Slo spec = Slo.newBuilder().setKind(SloKind.ERROR_RATE).build();

        assertThatThrownBy(() -> SloRule.of(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a threshold or a maxRelativeIncrease is required");
    }

    @Test
    void kindNamesAreTheSchemasIgnoringCase() {
        assertThat(SloRule.kind("latency")).isEqualTo(SloKind.LATENCY);
        assertThat(SloRule.kind("Error_Rate")).isEqualTo(SloKind.ERROR_RATE);
    }

    @Test
    void anUnknownKindNameListsTheKinds() {
        assertThatThrownBy(() -> SloRule.kind("P95")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be LATENCY or ERROR_RATE, got 'P95'");
    }

    @Test
    void aSpecSloWithoutAKindHasOnlyThatProblem() {
        Slo spec = new Slo(null, 0.95, 300.0, null);

        assertThat(SloRule.problems(spec, "slos[2]"))
                .containsExactly(new Problem("slos[2].kind", "must be LATENCY or ERROR_RATE"));
    }

    @Test
    void aSpecSloNeedsAThresholdOrAnAllowance() {
        Slo spec = Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(0.95).build();

        assertThat(SloRule.problems(spec, "slos[0]")).containsExactly(
                new Problem("slos[0].threshold", "a threshold or a maxRelativeIncrease is required"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 100.5, Double.NaN})
    void anAllowanceIsAFractionFromZeroToHundred(double allowance) {
        Slo spec = Slo.newBuilder().setKind(SloKind.ERROR_RATE).setMaxRelativeIncrease(allowance).build();

        assertThat(SloRule.problems(spec, "slos[0]")).containsExactly(new Problem("slos[0].maxRelativeIncrease",
                "must be from 0 to 100 (a fraction: 0.2 = 20 %), got " + allowance));
    }

    @Test
    void describesEveryBoundInWords() {
        assertThat(SloRule.parse("errors<=1%+50%").describe()).isEqualTo("error rate <= 1 % and <= baseline +50 %");
        assertThat(SloRule.parse("p95<=+20%").describe()).isEqualTo("p95 <= baseline +20 %");
    }
}
