package io.rollcall.query;

import io.rollcall.rollout.RoleStats;
import java.time.Instant;

/**
 * The status of one service's rollout: its spec (null once removed), where the judge stands,
 * the latest verdict (null before the first window closes) and the live figures of the
 * window being collected (null when no window is open), with who served the answer.
 *
 * @param status   RUNNING, PROMOTED, ROLLED_BACK or REMOVED
 * @param decision the latest verdict's decision, or PENDING before the first one
 */
public record RolloutStatusView(
        String service,
        String rolloutId,
        String status,
        String decision,
        SpecView spec,
        int passingWindows,
        int failingWindows,
        LiveWindow window,
        VerdictView latestVerdict,
        String servedBy,
        boolean standby,
        long lagRecords) implements RolloutsView.Entry {

    /** The window being collected, with its bounds in ISO-8601. */
    public record LiveWindow(int index, String start, String end, RoleView canary, RoleView baseline) {

        public static LiveWindow of(int index, long startMs, long lengthMs, RoleStats canary, RoleStats baseline) {
            return new LiveWindow(index, Instant.ofEpochMilli(startMs).toString(),
                    Instant.ofEpochMilli(startMs + lengthMs).toString(), RoleView.of(canary), RoleView.of(baseline));
        }
    }

    /** Live figures of one role (canary or baseline); rates and latencies are null without requests. */
    public record RoleView(long requests, long errors, Double errorRate, Double p50, Double p95, Double p99) {

        public static RoleView of(RoleStats stats) {
            return new RoleView(stats.count(), stats.errors(), stats.count() == 0 ? null : stats.errorRate(),
                    finite(stats.quantile(0.5)), finite(stats.quantile(0.95)), finite(stats.quantile(0.99)));
        }

        private static Double finite(double value) {
            return Double.isFinite(value) ? value : null;
        }
    }
}
