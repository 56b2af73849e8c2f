package io.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schema.avro.MetricAggregate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantilesTest {

    @Test
    void namesAQuantileByItsPercentage() {
        assertThat(Quantiles.name(0.95)).isEqualTo("p95");
        assertThat(Quantiles.name(0.5)).isEqualTo("p50");
        assertThat(Quantiles.name(0.05)).isEqualTo("p5");
        assertThat(Quantiles.name(0.999)).isEqualTo("p99.9");
    }

    @Test
    void keysDropTheDotOfTheName() {
        assertThat(Quantiles.key(0.999)).isEqualTo("p999");
        assertThat(Quantiles.key(0.95)).isEqualTo("p95");
    }

    @Test
    void parsesAPercentageAfterP() {
        assertThat(Quantiles.parse("p5")).isEqualTo(0.05);
        assertThat(Quantiles.parse("p50")).isEqualTo(0.5);
        assertThat(Quantiles.parse("p95")).isEqualTo(0.95);
        assertThat(Quantiles.parse("p99.9")).isEqualTo(0.999);
        assertThat(Quantiles.parse("P99")).isEqualTo(0.99);
    }

    @Test
    void parsesThePublishedKeys() {
        assertThat(Quantiles.parse("p999")).isEqualTo(0.999);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p0", "p100", "p100.0", "p0.0", "p9999"})
    void refusesPercentagesOutsideZeroToHundred(String text) {
        assertThatThrownBy(() -> Quantiles.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a quantile: the percentage must be above 0 and below 100, e.g. p50, "
                        + "p95 or p99.9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"95", "p", "p-5", "p9.", "q95", "p95%", ""})
    void refusesTextThatIsNotPAndAPercentage(String text) {
        assertThatThrownBy(() -> Quantiles.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a quantile; write p and a percentage, e.g. p50, p95 or p99.9");
    }

    @Property(tries = 500)
    void parsingANameGivesTheQuantileBack(
            @ForAll @DoubleRange(min = 0, max = 1, minIncluded = false, maxIncluded = false) double q) {
        assertThat(Quantiles.parse(Quantiles.name(q))).isEqualTo(q);
    }

    @Test
    void thePublishedQuantilesAreTheAggregatesFieldsInOrder() {
        assertThat(Quantiles.publishedKeys()).containsExactly("p50", "p90", "p95", "p99", "p999");
        assertThat(Quantiles.published()).containsExactly(0.5, 0.9, 0.95, 0.99, 0.999);
        assertThat(Quantiles.publishedKeys())
                .allSatisfy(key -> assertThat(MetricAggregate.getClassSchema().getField(key)).as(key).isNotNull());
    }

    @Test
    void thePublishedListCannotBeChangedByItsReader() {
        Quantiles.published()[0] = 0.1;

        assertThat(Quantiles.published()[0]).isEqualTo(0.5);
    }
}
