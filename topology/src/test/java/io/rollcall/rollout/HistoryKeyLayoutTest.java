package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The key of a verdict in the {@code rollout-verdicts} store and its changelog: the service's
 * name (UTF-8), a zero byte, the verdict's sequence number (8 bytes, big-endian), so one
 * service's history is one key range in order. Keys written by release 0.1.0 must still be
 * found: the layout is fixed, and a change needs a new store name and a migration.
 */
class HistoryKeyLayoutTest {

    /** {@code historyKey("checkout", 42)} as release 0.1.0 writes it. */
    private static final String CHECKOUT_42 = "636865636b6f7574" + "00" + "000000000000002a";

    @Test
    void theKeyOfAVerdictIsWrittenByteForByteAsReleasedKeys() {
        assertThat(HexFormat.of().formatHex(RolloutJudge.historyKey("checkout", 42).get()))
                .as("the verdict history key layout changed: stored histories would no longer be found")
                .isEqualTo(CHECKOUT_42);
    }
}
