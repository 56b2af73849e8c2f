package io.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A read of a partition whose active replica is here but not queryable (restoring, usually a
 * standby just promoted in a failover) falls back to the same store as a stale read, unless
 * the caller asked for fresh data.
 */
class ActiveOrRestoringTest {

    private static final Served STALE = new Served("10.0.0.1:8080", true, 12);
    private final List<Boolean> reads = new ArrayList<>();

    /** The active store is restoring (not queryable); with stale stores enabled it answers. */
    private final BiFunction<Integer, Boolean, Answer<String>> restoring = (partition, stale) -> {
        reads.add(stale);
        return stale ? new Answer.Local<>("value of partition " + partition, STALE)
                : new Answer.NotReady<>("partition " + partition + " is restoring");
    };

    @Test
    void aRestoringActiveAnswersAsAStaleRead() {
        Answer<String> answer = MetricQueries.activeOrRestoring(3, new ReadOptions(false, false, false), restoring);
        assertThat(answer).isEqualTo(new Answer.Local<>("value of partition 3", STALE));
        assertThat(reads).containsExactly(false, true);
    }

    @Test
    void freshRulesOutTheStaleRead() {
        Answer<String> answer = MetricQueries.activeOrRestoring(3, new ReadOptions(true, false, false), restoring);
        assertThat(answer).isEqualTo(new Answer.NotReady<>("partition 3 is restoring"));
        assertThat(reads).containsExactly(false);
    }

    @Test
    void aQueryableActiveIsReadOnce() {
        Answer<String> answer = MetricQueries.activeOrRestoring(1, new ReadOptions(false, false, false),
                (partition, stale) -> {
                    reads.add(stale);
                    return new Answer.NotFound<>(Served.active("10.0.0.1:8080"));
                });
        assertThat(answer).isEqualTo(new Answer.NotFound<>(Served.active("10.0.0.1:8080")));
        assertThat(reads).containsExactly(false);
    }

    @Test
    void whenNeitherCanAnswerBothReasonsAreGiven() {
        Answer<String> answer = MetricQueries.activeOrRestoring(2, new ReadOptions(false, false, false),
                (partition, stale) -> new Answer.NotReady<>(stale ? "store closed" : "restoring"));
        assertThat(answer).isEqualTo(new Answer.NotReady<>("restoring; as a stale read: store closed"));
    }
}
