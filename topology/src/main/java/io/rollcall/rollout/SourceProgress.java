package io.rollcall.rollout;

import java.util.Arrays;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How far the stream has come on every partition of the events topic, as one judge task
 * knows it: the newest {@link Progress} of each partition, kept in a state store (so a restart
 * or a moved task keeps it). The slowest partition decides: nothing has passed until every
 * partition has reported.
 */
final class SourceProgress {

    private final KeyValueStore<Integer, Long> store;
    private final long[] reached;
    private long slowest;

    /** @param partitions partition count of the events topic */
    SourceProgress(KeyValueStore<Integer, Long> store, int partitions) {
        this.store = store;
        this.reached = new long[partitions];
        Arrays.fill(reached, Long.MIN_VALUE);
        try (KeyValueIterator<Integer, Long> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Integer, Long> entry = all.next();
                if (entry.key >= 0 && entry.key < partitions && entry.value != null) {
                    reached[entry.key] = entry.value;
                }
            }
        }
        slowest = Arrays.stream(reached).min().orElse(Long.MIN_VALUE);
    }

    /** Takes a partition's progress; older than what is known (a restarted sampler), it changes nothing. */
    void advance(Progress progress) {
        int partition = progress.partition();
        if (partition < 0 || partition >= reached.length || progress.time() <= reached[partition]) {
            return;
        }
        long before = reached[partition];
        reached[partition] = progress.time();
        store.put(partition, progress.time());
        if (before == slowest) {
            slowest = Arrays.stream(reached).min().orElse(Long.MIN_VALUE);
        }
    }

    /** Event time every partition has reached; {@link Long#MIN_VALUE} until each has reported. */
    long reached() {
        return slowest;
    }
}
