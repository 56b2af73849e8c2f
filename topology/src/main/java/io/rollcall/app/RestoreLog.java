package io.rollcall.app;

import io.rollcall.log.LogContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs state restorations from changelogs and keeps the totals per store: after a clean restart
 * they should be near zero, because the local state and its checkpoint are reused; a large figure
 * means a full restore. A round of restorations (from the first partition that starts until none
 * is left) ends with one summary line. Between, a partition that restored records gets its own
 * line, and a long round reports its rate and ETA; partitions that restored nothing (the usual
 * case on a restart: exactly-once leaves commit markers past the checkpoint) are logged at DEBUG,
 * as they would otherwise fill the start-up log with one line per store and partition.
 */
final class RestoreLog implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreLog.class);

    /** How often a restoration in progress reports its rate and ETA. */
    private static final long PROGRESS_NANOS = 10_000_000_000L;

    private final Map<String, AtomicLong> restored = new ConcurrentHashMap<>();
    /** What each partition being restored now has left, for the remaining-records gauge. */
    private final Map<TopicPartition, Restoring> restoring = new ConcurrentHashMap<>();
    /** Restore callbacks come from every stream thread and the global thread; a round is shared. */
    private final Object lock = new Object();
    private final Map<TopicPartition, Long> startedNanos = new HashMap<>();
    private final Set<String> roundStores = new HashSet<>();
    private int roundPartitions;
    private long done;
    private long total;
    private long roundStart;
    private long lastReport;
    /** Time of the rounds that ended: a round is one span, however many partitions it restores at once. */
    private long endedRoundsNanos;
    private final LongSupplier nanos;

    RestoreLog() {
        this(System::nanoTime);
    }

    /** With a clock of {@code nanos}, as {@link System#nanoTime()}. */
    RestoreLog(LongSupplier nanos) {
        this.nanos = nanos;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        long now = nanos.getAsLong();
        synchronized (lock) {
            if (startedNanos.isEmpty()) {
                roundStart = now;
                lastReport = now;
                roundPartitions = 0;
                roundStores.clear();
                done = 0;
                total = 0;
            }
            startedNanos.put(partition, now);
            roundPartitions++;
            roundStores.add(store);
            total += endingOffset - startingOffset;
        }
        restoring.put(partition, new Restoring(store, new AtomicLong(endingOffset - startingOffset)));
        LOG.debug("restoring {} from {} offsets {}..{} ({} records at most)", store, partition, startingOffset,
                endingOffset, endingOffset - startingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restored.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(numRestored);
        Restoring left = restoring.get(partition);
        if (left != null) {
            left.left().addAndGet(-numRestored);
        }
        long now = nanos.getAsLong();
        String report = null;
        synchronized (lock) {
            done += numRestored;
            if (now - lastReport > PROGRESS_NANOS) {
                lastReport = now;
                report = progress(now);
            }
        }
        if (report != null) {
            LOG.info("{}", report);
        }
    }

    /**
     * Records restored of the offsets to restore, with rate and ETA, over every restoration in
     * progress. Offsets, not records: compacted changelogs and transaction markers make the
     * total and the ETA upper bounds.
     */
    String progress(long nowNanos) {
        synchronized (lock) {
            return Eta.line("restoring state: restored records", done, total, (nowNanos - roundStart) / 1e9);
        }
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        finished(partition, store, totalRestored, "restored");
    }

    /** The task moved to another instance (or thread) before its restoration ended. */
    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        finished(partition, store, totalRestored, "suspended restoring");
    }

    private void finished(TopicPartition partition, String store, long totalRestored, String what) {
        restoring.remove(partition);
        long now = nanos.getAsLong();
        Long started;
        String summary = null;
        synchronized (lock) {
            started = startedNanos.remove(partition);
            if (started != null && startedNanos.isEmpty()) {
                summary = summary(now);
                endedRoundsNanos += now - roundStart;
            }
        }
        long ms = started == null ? -1 : (now - started) / 1_000_000;
        if (totalRestored > 0 || LOG.isDebugEnabled()) {
            try (LogContext ignored = LogContext.partition(partition)) {
                if (totalRestored > 0) {
                    LOG.info("{} {} from {}: {} records in {} ms", what, store, partition, totalRestored, ms);
                } else {
                    LOG.debug("{} {} from {}: {} records in {} ms", what, store, partition, totalRestored, ms);
                }
            }
        }
        if (summary != null) {
            LOG.info("{}", summary);
        }
    }

    /** The round that just ended, in one line. Called with the lock held. */
    private String summary(long nowNanos) {
        return String.format(java.util.Locale.ROOT, "restored state: %,d records into %d partitions of %d stores "
                + "in %,d ms", done, roundPartitions, roundStores.size(), (nowNanos - roundStart) / 1_000_000);
    }

    /** Offsets of {@code store} still to restore, over its partitions being restored now (an upper bound). */
    long remaining(String store) {
        return restoring.values().stream().filter(r -> r.store().equals(store))
                .mapToLong(r -> Math.max(0, r.left().get())).sum();
    }

    /** Records restored into {@code store} since start. */
    long restored(String store) {
        AtomicLong count = restored.get(store);
        return count == null ? 0 : count.get();
    }

    /** A changelog partition being restored into {@code store}, and the offsets it has {@code left}. */
    private record Restoring(String store, AtomicLong left) {
    }

    /** Seconds since start during which a restoration was in progress (rounds that overlap count once). */
    double restoringSeconds() {
        synchronized (lock) {
            long ongoing = startedNanos.isEmpty() ? 0 : nanos.getAsLong() - roundStart;
            return (endedRoundsNanos + ongoing) / 1e9;
        }
    }

    /** Records restored so far, by store. */
    Map<String, Long> totals() {
        Map<String, Long> out = new TreeMap<>();
        restored.forEach((store, count) -> out.put(store, count.get()));
        return out;
    }
}
