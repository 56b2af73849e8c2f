package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EtaTest {

    @Test
    void saysHowFarHowFastAndHowLongIsLeft() {
        assertThat(Eta.line("produced", 250_000, 1_000_000, 5.0))
                .isEqualTo("produced 250,000 of 1,000,000 (25.0 %), 50,000/s, 5 s elapsed, ETA 15 s");
        assertThat(Eta.line("produced", 1_000, 3_601_000, 1.0)).endsWith("ETA 1 h 00 min");
        assertThat(Eta.line("produced", 1_000, 3_600_000, 1.0)).endsWith("ETA 59 min 59 s");
        assertThat(Eta.line("committed", 0, 100, 3.0)).endsWith("ETA unknown");
        assertThat(Eta.line("produced", 10_000, 0, 125.0)).isEqualTo("produced 10,000 (80/s, 2 min 05 s elapsed)");
    }
}
