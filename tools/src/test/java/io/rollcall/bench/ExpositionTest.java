package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpositionTest {

    private static final String EXPOSITION = """
            # HELP jvm_compilation_time_ms_total The approximate accumulated elapsed time spent in compilation
            # TYPE jvm_compilation_time_ms_total counter
            jvm_compilation_time_ms_total{compiler="HotSpot 64-Bit Tiered Compilers"} 1234.0
            jvm_compilation_time_ms_total_other 99.0
            rollcall_restore_remaining_records{store="a"} 3.0
            rollcall_restore_remaining_records{store="b"} 4.0 1700000000000
            """;

    @Test
    void aMetricsSamplesAreSummedOverTheirLabels() {
        assertThat(Exposition.sum(EXPOSITION, "rollcall_restore_remaining_records")).hasValue(7.0);
    }

    @Test
    void onlyTheNamedMetricCountsNotOneWhoseNameItPrefixes() {
        assertThat(Exposition.sum(EXPOSITION, "jvm_compilation_time_ms_total")).hasValue(1234.0);
    }

    @Test
    void aMetricWithoutSamplesHasNoSum() {
        assertThat(Exposition.sum(EXPOSITION, "rollcall_ready")).isEmpty();
    }
}
