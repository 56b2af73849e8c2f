package io.rollcall.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the reads of one step saw: answers with data (fresh or stale), 503s with Retry-After,
 * anything else by status and abbreviated body, reads that got no answer at all by the
 * exception, and the longest stretch without an answer with data.
 *
 * @param other            any other answer: "status body" → count
 * @param noAnswer         exception class → count (refused, reset, timed out)
 * @param longestFailingMs the longest time from a failed read to the last failed read after it
 *                         with no read in between answered with data, by send time; 0 when
 *                         nothing failed or failures never came in a row
 */
record ReadTally(long fresh, long stale, long retryLater, Map<String, Long> other, Map<String, Long> noAnswer,
                 long longestFailingMs) {

    /** How a read ended. */
    enum Kind { FRESH, STALE, RETRY_LATER, OTHER, NO_ANSWER }

    /** One read: when it was sent ({@link System#nanoTime()}), how it ended and, for OTHER and NO_ANSWER, what. */
    record Read(long sentNanos, Kind kind, String detail) {
        boolean answered() {
            return kind == Kind.FRESH || kind == Kind.STALE;
        }
    }

    static ReadTally of(List<Read> reads) {
        long[] counts = new long[Kind.values().length];
        Map<String, Long> other = new TreeMap<>();
        Map<String, Long> noAnswer = new TreeMap<>();
        long longest = 0;
        long first = -1;
        long last = -1;
        for (Read read : reads.stream().sorted(Comparator.comparingLong(Read::sentNanos)).toList()) {
            counts[read.kind().ordinal()]++;
            if (read.kind() == Kind.OTHER) {
                other.merge(read.detail(), 1L, Long::sum);
            } else if (read.kind() == Kind.NO_ANSWER) {
                noAnswer.merge(read.detail(), 1L, Long::sum);
            }
            if (read.answered()) {
                first = -1;
            } else {
                first = first < 0 ? read.sentNanos() : first;
                last = read.sentNanos();
                longest = Math.max(longest, last - first);
            }
        }
        return new ReadTally(counts[Kind.FRESH.ordinal()], counts[Kind.STALE.ordinal()],
                counts[Kind.RETRY_LATER.ordinal()], other, noAnswer, TimeUnit.NANOSECONDS.toMillis(longest));
    }

    long answered() {
        return fresh + stale;
    }

    long others() {
        return other.values().stream().mapToLong(Long::longValue).sum();
    }

    long unanswered() {
        return noAnswer.values().stream().mapToLong(Long::longValue).sum();
    }

    /** An answer body with numbers and addresses masked, so that alike answers count together; at most 200 chars. */
    static String abbreviate(String text) {
        String shape = text.replaceAll("\\d+", "N").replaceAll("127\\.N\\.N\\.N:N", "HOST");
        return shape.length() > 200 ? shape.substring(0, 200) + "…" : shape;
    }
}
