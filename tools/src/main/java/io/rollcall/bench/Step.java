package io.rollcall.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one step of the scale benchmark measured. Times are milliseconds from the step's start
 * (the new process started, or the signal sent); {@link #NOT_SEEN} when the step ended first,
 * {@link #NOT_ASKED} where the step has no such moment.
 *
 * @param readyMs          the joining instance answered {@code /health/ready} with 200
 * @param activeMs         the joining instance held an active partition; when one left, every
 *                         partition was active on a survivor
 * @param stoppedGrowingMs the lag stopped growing ({@link LagTrend#stoppedGrowing})
 * @param underBoundMs     the lag went under the bound and stayed there ({@link LagTrend#underFor})
 * @param firstLag         the lag sampled last before the step started
 * @param lastLag          the lag sampled last in the step
 * @param settled          whether the step ended by settling rather than by its time limit
 * @param inputRate        events per second the producer sent during the step
 * @param processedRate    events per second the group committed during the step
 * @param restored         changelog records the joining instance restored since it started, as its
 *                         {@code /metrics} said last ({@link #NOT_ASKED} where no instance joins)
 * @param restoringMs      how long it said records remained to restore, in whole polled seconds
 */
record Step(String name, long readyMs, long activeMs, long stoppedGrowingMs, long underBoundMs, long firstLag,
            long maxLag, long lastLag, long durationMs, boolean settled, double inputRate, double processedRate,
            long restored, long restoringMs, ReadTally reads) {

    static final long NOT_SEEN = -1;
    static final long NOT_ASKED = -2;

    private static final String TIMES = "%-36s %16s %16s %22s %17s %16s %12s %12s %12s %9s %11s %7s%n";
    private static final String READS = "%-36s %11s %11s %11s %9s %10s %16s%n";

    static String timesHeader() {
        return String.format(TIMES, "step", "ready", "active", "restored", "restoring for", "lag stops growing",
                "lag under bound",
                "lag at start", "max lag", "lag at end", "input/s", "processed/s",
                "lasted");
    }

    String times() {
        return String.format(TIMES, name, cell(readyMs), cell(activeMs),
                restored == NOT_ASKED ? "-" : String.format("%,d records", restored),
                restored == NOT_ASKED ? "-" : String.format("%,d s", restoringMs / 1000),
                cell(stoppedGrowingMs), cell(underBoundMs),
                String.format("%,d", firstLag), String.format("%,d", maxLag), String.format("%,d", lastLag),
                String.format("%,.0f", inputRate), String.format("%,.0f", processedRate),
                String.format("%,d s", durationMs / 1000));
    }

    static String readsHeader() {
        return String.format(READS, "step", "200 fresh", "200 stale", "503 retry", "other", "no answer",
                "longest failing");
    }

    String readCounts() {
        return String.format(READS, name, String.format("%,d", reads.fresh()), String.format("%,d", reads.stale()),
                String.format("%,d", reads.retryLater()), String.format("%,d", reads.others()),
                String.format("%,d", reads.unanswered()), String.format("%,d ms", reads.longestFailingMs()));
    }

    /** How the step ended, for the progress lines. */
    String ending() {
        return String.format("%s: %s after %,d s", name, settled ? "settled" : "ended by its time limit",
                durationMs / 1000);
    }

    /** Lines about reads that were not 200 or 503 with Retry-After, or got no answer; none when all were. */
    List<String> readProblems() {
        List<String> lines = new ArrayList<>();
        if (reads.others() > 0) {
            lines.add(String.format("NOT ACCEPTABLE: %s: %,d answers neither 200 nor 503 with Retry-After: %s", name,
                    reads.others(), reads.other()));
        }
        if (reads.unanswered() > 0) {
            lines.add(String.format("%s: %,d reads of serving instances got no answer: %s", name,
                    reads.unanswered(), reads.noAnswer()));
        }
        return lines;
    }

    private String cell(long ms) {
        if (ms == NOT_ASKED) {
            return "-";
        }
        return ms == NOT_SEEN ? String.format("not within %d s", durationMs / 1000) : String.format("%,d ms", ms);
    }
}
