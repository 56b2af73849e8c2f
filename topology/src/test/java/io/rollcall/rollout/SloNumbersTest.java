package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

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
}
