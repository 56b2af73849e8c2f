package io.rollcall.query;

import java.util.List;

/** The windowed aggregates of one series in a time range, oldest first. */
public record WindowsView(String id, String from, String to, List<AggregateView> windows, String servedBy,
                          boolean stale, long lagRecords) {
}
