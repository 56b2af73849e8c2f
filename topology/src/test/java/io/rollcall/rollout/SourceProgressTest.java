package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SourceProgressTest {

    private KeyValueStore<Integer, Long> store;

    @BeforeEach
    void createStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("rollout-progress"), Serdes.Integer(),
                Serdes.Long()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @Test
    void nothingHasPassedUntilEveryPartitionHasReported() {
        SourceProgress progress = new SourceProgress(store, 3);
        progress.advance(new Progress(0, 5_000));
        progress.advance(new Progress(2, 7_000));

        assertThat(progress.reached()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theSlowestPartitionDecides() {
        SourceProgress progress = new SourceProgress(store, 3);
        progress.advance(new Progress(0, 5_000));
        progress.advance(new Progress(1, 2_000));
        progress.advance(new Progress(2, 7_000));
        assertThat(progress.reached()).isEqualTo(2_000);

        progress.advance(new Progress(1, 9_000));
        assertThat(progress.reached()).isEqualTo(5_000);
    }

    @Test
    void anOlderReportOfAPartitionChangesNothing() {
        SourceProgress progress = new SourceProgress(store, 1);
        progress.advance(new Progress(0, 5_000));
        progress.advance(new Progress(0, 3_000)); // its sampler restarted from the committed offset

        assertThat(progress.reached()).isEqualTo(5_000);
    }

    @Test
    void aRestartedJudgeKnowsTheProgressFromItsStore() {
        SourceProgress before = new SourceProgress(store, 2);
        before.advance(new Progress(0, 5_000));
        before.advance(new Progress(1, 6_000));

        assertThat(new SourceProgress(store, 2).reached()).isEqualTo(5_000);
    }
}
