package io.rollcall.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void producesATimerHeavyRealisticMixOverTheWholeIdRange() {
        Workload workload = new Workload(5_000, 3);
        Map<MetricType, Integer> types = new HashMap<>();
        Set<String> services = new HashSet<>();
        Set<String> revisions = new HashSet<>();
        int errors = 0;
        int timers = 0;
        for (int i = 0; i < 100_000; i++) {
            MetricEvent e = workload.next(1_000);
            types.merge(e.getType(), 1, Integer::sum);
            services.add(e.getLabels().get("service"));
            revisions.add(e.getLabels().get("revision"));
            if (e.getType() == MetricType.TIMER) {
                timers++;
                assertThat(e.getValue()).isNotNegative();
                errors += e.getStatus() >= 500 ? 1 : 0;
            }
        }
        assertThat(timers).isGreaterThan(60_000);
        assertThat(types).containsKeys(MetricType.GAUGE, MetricType.COUNTER);
        assertThat(services).hasSize(5);
        assertThat(revisions).hasSizeGreaterThanOrEqualTo(10);
        assertThat(errors / (double) timers).isBetween(0.004, 0.02);
        assertThat(workload.series().stream().filter(s -> s.id() < 0)).as("ids at or above 2^63").isNotEmpty();
        assertThat(workload.series().stream().map(Workload.Series::id).distinct().count()).isEqualTo(5_000);
    }

    @Test
    void sameSeedSameIds() {
        assertThat(new Workload(100, 9).series()).isEqualTo(new Workload(100, 9).series());
    }

    @Test
    void sameSeedSameSkewedEvents() {
        Workload one = new Workload(1_000_000, 9, new Spread.Zipf(1.1));
        Workload other = new Workload(1_000_000, 9, new Spread.Zipf(1.1));
        for (int i = 0; i < 10_000; i++) {
            assertThat(one.next(i)).isEqualTo(other.next(i));
        }
    }

    @Test
    void skewedWorkloadKeepsTheUniformMixOfMetrics() {
        Map<String, Double> uniform = metricShares(new Workload(10_000, 4), 100_000);
        Map<String, Double> skewed = metricShares(new Workload(10_000, 4, new Spread.Zipf(1.1)), 100_000);
        assertThat(skewed).hasSameSizeAs(uniform);
        uniform.forEach((metric, share) -> assertThat(skewed.get(metric)).as(metric).isCloseTo(share, within(0.01)));
    }

    @Test
    void topOnePercentOfSeriesCarryTheShareZipfPredicts() {
        int series = 5_000;
        int draws = 100_000;
        Workload workload = new Workload(series, 5, new Spread.Zipf(1.1));
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            counts.merge(workload.next(0).getId(), 1, Integer::sum);
        }
        long top = counts.values().stream().sorted(Comparator.reverseOrder()).limit(series / 100)
                .mapToLong(Integer::longValue).sum();
        assertThat(top / (double) draws).isCloseTo(zipfTopShare(series, 1.1, series / 100), within(0.01));
    }

    @Test
    void aMillionSeriesHaveDistinctIds() {
        long[] ids = new Workload(1_000_000, 2, new Spread.Zipf(1.1)).series().stream()
                .mapToLong(Workload.Series::id).sorted().toArray();
        assertThat(IntStream.range(1, ids.length).filter(i -> ids[i] == ids[i - 1]).count()).isZero();
    }

    private static Map<String, Double> metricShares(Workload workload, int draws) {
        Map<String, Double> shares = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            shares.merge(workload.next(0).getName(), 1.0 / draws, Double::sum);
        }
        return shares;
    }

    /**
     * The probability mass of the {@code top} most likely series: each template drawn by its
     * weight times its series, then rank k of its n series with probability k^-s / H(n, s).
     */
    private static double zipfTopShare(int series, double s, int top) {
        Workload.Template[] templates = Workload.Template.values();
        double[] weight = new double[templates.length];
        double total = 0;
        for (int t = 0; t < templates.length; t++) {
            int n = series / templates.length + (t < series % templates.length ? 1 : 0);
            weight[t] = templates[t].weight * (double) n;
            total += weight[t];
        }
        List<Double> probabilities = new ArrayList<>();
        for (int t = 0; t < templates.length; t++) {
            int n = series / templates.length + (t < series % templates.length ? 1 : 0);
            double harmonic = 0;
            for (int k = 1; k <= n; k++) {
                harmonic += Math.pow(k, -s);
            }
            for (int k = 1; k <= n; k++) {
                probabilities.add(weight[t] / total * Math.pow(k, -s) / harmonic);
            }
        }
        return probabilities.stream().sorted(Comparator.reverseOrder()).limit(top).mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void fnv1aPartitionerMatchesSaramaOnAKnownKey() {
        // FNV-1a 32 of "a" is 0xe40c292c; as a signed int that is -468965076, abs mod 6 = 0.
        assertThat(Fnv1aPartitioner.partitionFor("a".getBytes(), 6)).isEqualTo(468965076 % 6);
    }
}
