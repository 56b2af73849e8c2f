package io.rollcall.rollout;

import static io.rollcall.rollout.RolloutDriver.T0;
import static io.rollcall.rollout.RolloutDriver.WINDOW;
import static io.rollcall.rollout.RolloutDriver.errorRate;
import static io.rollcall.rollout.RolloutDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.avro.RolloutSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowClosesTest {

    private static final long GRACE = 1_000;
    private static final RolloutSpec SPEC = spec("checkout", errorRate(0.01, null)).build();

    @Test
    void windowKClosesGraceAfterItsEnd() {
        assertThat(WindowCloses.closesAt(SPEC, 2, GRACE)).isEqualTo(T0 + 3 * WINDOW + GRACE);
    }

    @Test
    void aCloseInsideTheSpanIsFound() {
        long close = WindowCloses.closesAt(SPEC, 4, GRACE);

        assertThat(WindowCloses.anyBetween(List.of(SPEC), close - 1, close, GRACE)).isTrue();
    }

    @Test
    void aSpanBetweenTwoClosesHasNone() {
        long close = WindowCloses.closesAt(SPEC, 4, GRACE);

        assertThat(WindowCloses.anyBetween(List.of(SPEC), close, close + WINDOW - 1, GRACE)).isFalse();
    }

    @Test
    void theFirstWindowsCloseCountsFromLongBeforeTheStart() {
        assertThat(WindowCloses.anyBetween(List.of(SPEC), T0 - 10 * WINDOW, T0 + WINDOW + GRACE, GRACE)).isTrue();
    }

    @Test
    void anyRolloutsCloseCounts() {
        RolloutSpec later = spec("search", errorRate(0.01, null)).setStartedAt(Instant.ofEpochMilli(T0 + 3_000)).build();
        long close = WindowCloses.closesAt(later, 0, GRACE);

        assertThat(WindowCloses.anyBetween(List.of(SPEC, later), close - 1, close, GRACE)).isTrue();
    }
}
