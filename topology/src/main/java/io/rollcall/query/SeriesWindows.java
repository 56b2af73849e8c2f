package io.rollcall.query;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.schema.SeriesId;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The windows of a series: those of the window store, with the series' newest window, which its
 * state in the all-time store holds, in its place (the window store's copy of it, if any, is older).
 */
public final class SeriesWindows {

    private SeriesWindows() {
    }

    /** Windows whose start lies in [from, to], by start. */
    public static NavigableMap<Long, Aggregate> between(ReadOnlyWindowStore<byte[], ValueAndTimestamp<Aggregate>> store,
                                                        SeriesId id, SeriesState state, Instant from, Instant to) {
        NavigableMap<Long, Aggregate> byStart = new TreeMap<>();
        try (WindowStoreIterator<ValueAndTimestamp<Aggregate>> it = store.fetch(id.toBytes(), from, to)) {
            it.forEachRemaining(kv -> byStart.put(kv.key, kv.value.value()));
        }
        state.newest()
                .filter(newest -> newest.start() >= from.toEpochMilli() && newest.start() <= to.toEpochMilli())
                .ifPresent(newest -> byStart.put(newest.start(), newest.aggregate()));
        return byStart;
    }
}
