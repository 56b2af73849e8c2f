package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestoringTest {

    @Test
    void sumsEveryStoresRemainingAndRestoredRecordsAndReadsTheRestoringTime() {
        String exposition = """
                # HELP rollcall_restore_remaining_records Changelog records still to restore
                # TYPE rollcall_restore_remaining_records gauge
                rollcall_restore_remaining_records{store="aggregates-all-time"} 1200.0
                rollcall_restore_remaining_records{store="aggregates-windowed"} 800.0
                # TYPE rollcall_restore_records_total counter
                rollcall_restore_records_total{store="aggregates-all-time"} 5.0E6
                rollcall_restore_records_total{store="aggregates-windowed"} 1856949.0
                rollcall_restore_remaining_recordsx{store="other"} 7.0
                # TYPE rollcall_restore_seconds_total counter
                rollcall_restore_seconds_total 63.1
                """;

        assertThat(Restoring.parse(exposition)).contains(new Restoring(2_000, 6_856_949, 63.1));
    }

    @Test
    void anExpositionWithoutTheMetricsSaysNothing() {
        assertThat(Restoring.parse("# nothing here\nup 1.0\n")).isEmpty();
    }
}
