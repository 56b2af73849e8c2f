package io.rollcall.aggregate;

import io.rollcall.schema.avro.MetricEvent;
import java.util.Optional;

/**
 * What the all-time store keeps of a series: its all-time aggregate and its newest window.
 * Holding both in one value makes an event cost one store write and one changelog record
 * per commit, not one for each; a window goes to the window store once, when the series
 * moves on to a later one.
 *
 * @param allTime every event of the series
 * @param newest  the window of the series' latest window start, empty until an event fell into an
 *                open window (and in state written before windows were kept here)
 */
public record SeriesState(Aggregate allTime, Optional<Window> newest) {

    /** A window of the series: its start, aggregate and the largest record timestamp in it. */
    public record Window(long start, Aggregate aggregate, long timestamp) {

        /** The window starting at {@code start} before its first event. */
        public static Window empty(long start) {
            return new Window(start, Aggregate.empty(), Long.MIN_VALUE);
        }

        /** A new window that also counts {@code event}, which came in a record stamped {@code recordTimestamp}. */
        public Window add(MetricEvent event, long recordTimestamp) {
            return new Window(start, aggregate.add(event), Math.max(timestamp, recordTimestamp));
        }
    }

    public SeriesState {
        java.util.Objects.requireNonNull(allTime, "allTime");
        java.util.Objects.requireNonNull(newest, "newest");
    }

    /** A series with no window kept here. */
    public static SeriesState of(Aggregate allTime) {
        return new SeriesState(allTime, Optional.empty());
    }

    /** The newest window if it starts at {@code start}. */
    public Optional<Window> window(long start) {
        return newest.filter(window -> window.start() == start);
    }
}
