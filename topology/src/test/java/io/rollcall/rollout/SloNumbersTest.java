package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.rollout.SloNumbers.Compared;
import io.rollcall.rollout.SloNumbers.Unit;
import java.math.BigDecimal;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class SloNumbersTest {

    @Test
    void confidenceKeepsEveryDigitSince9995IsNot100() {
        assertThat(SloNumbers.confidence(0.9995)).isEqualTo("99.95 %");
        assertThat(SloNumbers.confidence(0.95)).isEqualTo("95 %");
    }

    @Test
    void requestsAreCountedWithThousandsSeparatorsAndTheRightNumber() {
        assertThat(SloNumbers.requests(1)).isEqualTo("1 request");
        assertThat(SloNumbers.requests(1840)).isEqualTo("1,840 requests");
    }

    @Test
    void textFormPercentagesAreExactlyAsWritten() {
        assertThat(SloNumbers.fractionOfPercent("7")).isEqualTo(0.07);
        assertThat(SloNumbers.plainPercent(0.07)).isEqualTo("7");
        assertThat(SloNumbers.plain(300.0)).isEqualTo("300");
    }

    @Test
    void aComparedValueGainsTheDigitsItNeedsToReadDifferentlyFromItsReference() {
        assertThat(SloNumbers.compared(Unit.PERCENT, 0.0104, 0.01)).isEqualTo(new Compared("1.04 %", "1 %"));
        assertThat(SloNumbers.compared(Unit.MILLISECONDS, 320.4, 320)).isEqualTo(new Compared("320.4 ms", "320 ms"));
        assertThat(SloNumbers.compared(Unit.RATIO, 1.1004, 1.1)).isEqualTo(new Compared("1.1004×", "1.10×"));
        assertThat(SloNumbers.compared(Unit.NUMBER, 19.96, 20)).isEqualTo(new Compared("19.96", "20"));
        assertThat(SloNumbers.compared(Unit.PERCENT, 0.01041, 0.0104)).isEqualTo(new Compared("1.041 %", "1.04 %"));
    }

    @Test
    void aComparedValueFarFromItsReferenceKeepsItsUsualDigits() {
        assertThat(SloNumbers.compared(Unit.PERCENT, 0.188, 0.01)).isEqualTo(new Compared("19 %", "1 %"));
        assertThat(SloNumbers.compared(Unit.NUMBER, 2.5e9, 20)).isEqualTo(new Compared("2.5e+09", "20"));
    }

    @Property(tries = 300)
    void comparedNumbersThatDifferNeverReadAlike(@ForAll Unit unit,
            @ForAll @DoubleRange(min = 0.01, max = 1000) double reference,
            @ForAll @DoubleRange(min = -0.01, max = 0.01) double relativeDifference) {
        double value = reference * (1 + relativeDifference);
        Assume.that(Math.abs(relativeDifference) > 2e-4); // beyond the sixth decimal, the most shown

        Compared compared = SloNumbers.compared(unit, value, reference);

        assertThat(number(compared.value())).isNotEqualByComparingTo(number(compared.reference()));
    }

    private static BigDecimal number(String shown) {
        return new BigDecimal(shown.replaceAll("[^0-9.eE+-]", ""));
    }
}
