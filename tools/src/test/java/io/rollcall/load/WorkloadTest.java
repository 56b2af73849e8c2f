package io.rollcall.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
    void fnv1aPartitionerMatchesSaramaOnAKnownKey() {
        // FNV-1a 32 of "a" is 0xe40c292c; as a signed int that is -468965076, abs mod 6 = 0.
        assertThat(Fnv1aPartitioner.partitionFor("a".getBytes(), 6)).isEqualTo(468965076 % 6);
    }
}
