package io.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AggregateTest {

    private static MetricEvent gauge(long time, double value) {
        return MetricEvent.newBuilder().setId(-2L).setName("g").setTimestamp(Instant.ofEpochMilli(time))
                .setType(MetricType.GAUGE).setValue(value).build();
    }

    @Test
    void addingReturnsANewValueAndLeavesTheOldOneUntouched() {
        Aggregate one = Aggregate.of(gauge(1, 5));
        Aggregate two = one.add(gauge(2, 7));

        assertThat(one.count()).isEqualTo(1);
        assertThat(one.max()).isEqualTo(5);
        assertThat(one.quantile(1.0)).isCloseTo(5, org.assertj.core.api.Assertions.within(0.05));
        assertThat(one.sketch().count()).isEqualTo(1);
        assertThat(two.count()).isEqualTo(2);
        assertThat(two.sketch().count()).isEqualTo(2);
    }

    @Test
    void theEmptyAggregateStartsExtremesAtInfinity() {
        Aggregate empty = Aggregate.empty();
        assertThat(empty.min()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(empty.max()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(empty.mean()).isNaN();
        assertThat(empty.errorRate()).isZero();
        assertThat(empty.quantile(0.5)).isNaN();
    }

    @Property(tries = 200)
    void everyQuantileIsWithinOnePercentOfTheExactValueAtItsRank(
            @ForAll @Size(min = 1, max = 400) List<@DoubleRange(min = -1e6, max = 1e6) Double> values,
            @ForAll @DoubleRange(min = 0, max = 1) double q) {
        Aggregate agg = Aggregate.empty();
        for (int i = 0; i < values.size(); i++) {
            agg = agg.add(gauge(i, values.get(i)));
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];

        assertThat(Math.abs(agg.quantile(q) - exact)).isLessThanOrEqualTo(0.01 * Math.abs(exact) + 1e-9);
    }

    @Property(tries = 200)
    void mergingTwoHalvesEqualsAddingEverything(
            @ForAll @Size(min = 2, max = 200) List<@IntRange(min = -10_000, max = 10_000) Integer> quarters,
            @ForAll @IntRange(min = 1, max = 199) int split) {
        int cut = Math.min(split, quarters.size() - 1);
        double[] values = quarters.stream().mapToDouble(v -> v / 4.0).toArray();
        Aggregate all = addAll(values, 0, values.length);
        Aggregate merged = addAll(values, 0, cut).merge(addAll(values, cut, values.length));

        assertThat(merged.count()).isEqualTo(all.count());
        assertThat(merged.sum()).isEqualTo(all.sum());
        assertThat(merged.min()).isEqualTo(all.min());
        assertThat(merged.max()).isEqualTo(all.max());
        assertThat(merged.last()).isEqualTo(all.last());
        for (double q : new double[] {0, 0.5, 0.9, 0.99, 1}) {
            assertThat(merged.quantile(q)).isEqualTo(all.quantile(q));
        }
    }

    @Property(tries = 100)
    void survivesTheAvroRoundTripUnchanged(
            @ForAll @Size(min = 1, max = 100) List<@DoubleRange(min = -1e9, max = 1e9) Double> values) {
        Aggregate agg = addAll(values.stream().mapToDouble(Double::doubleValue).toArray(), 0, values.size());
        var serde = AggregateCodec.serde();
        Aggregate back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", agg));

        assertThat(back).usingRecursiveComparison().ignoringFields("sketch").isEqualTo(agg);
        for (double q : new double[] {0, 0.5, 0.95, 0.999, 1}) {
            assertThat(back.quantile(q)).isEqualTo(agg.quantile(q));
        }
    }

    private static Aggregate addAll(double[] values, int from, int to) {
        Aggregate agg = Aggregate.empty();
        for (int i = from; i < to; i++) {
            agg = agg.add(gauge(i, values[i]));
        }
        return agg;
    }

    @Test
    void sketchOfLatenciesStaysSmall() {
        QuantileSketch sketch = QuantileSketch.empty();
        double[] latencies = new double[10_000];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = 40 * Math.exp(0.6 * random.nextGaussian());
            sketch = sketch.add(latencies[i]);
        }
        Arrays.sort(latencies);
        assertThat(sketch.toBytes().length).as("encoded bytes").isLessThan(4096);
        assertThat(QuantileSketch.fromBytes(sketch.toBytes()).quantile(0.99)).isEqualTo(sketch.quantile(0.99));
    }
}
