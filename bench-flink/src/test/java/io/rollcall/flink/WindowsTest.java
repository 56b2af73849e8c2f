package io.rollcall.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

class WindowsTest {

    /** Read once, for a stagger offset, which is zero for windows aligned to the epoch. */
    private static final WindowAssigner.WindowAssignerContext CLOCK = new WindowAssigner.WindowAssignerContext() {
        @Override
        public long getCurrentProcessingTime() {
            return 1_700_000_123_456L;
        }
    };

    /** Event times from 1840 to 2200, before and after the epoch. */
    @Property
    void assignsTheWindowRollcallDoes(@ForAll @LongRange(min = -4_102_444_800_000L, max = 7_258_118_400_000L) long time,
                                      @ForAll @IntRange(min = 1, max = 3_600) int sizeSeconds) {
        long size = sizeSeconds * 1000L;

        var windows = RollcallFlinkJob.windows(Duration.ofMillis(size)).assignWindows(null, time, CLOCK);

        long rollcallStart = time - Math.floorMod(time, size);
        assertThat(windows).containsExactly(new TimeWindow(rollcallStart, rollcallStart + size));
    }
}
