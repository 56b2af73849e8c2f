package io.rollcall.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every state restoration from a changelog (which store, how many records, how long)
 * and keeps the totals per store: after a clean restart they should be near zero, because
 * the local state and its checkpoint are reused; a large figure means a full restore.
 */
final class RestoreLog implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreLog.class);

    /** How often a restoration in progress reports its rate and ETA. */
    private static final long PROGRESS_NANOS = 10_000_000_000L;

    private final Map<String, AtomicLong> restored = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> startedNanos = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Restoring> restoring = new ConcurrentHashMap<>();
    /** Offsets still to restore, over every partition being restored now (an upper bound). */
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong restoreStart = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        long now = System.nanoTime();
        startedNanos.put(partition, now);
        restoring.put(partition, new Restoring(store, endingOffset - startingOffset,
                new AtomicLong(endingOffset - startingOffset)));
        if (pending.getAndAdd(endingOffset - startingOffset) == 0) { // the first of a new round of restorations
            restoreStart.set(now);
            lastReport.set(now);
            done.set(0);
            total.set(0);
        }
        total.addAndGet(endingOffset - startingOffset);
        LOG.info("restoring {} from {} offsets {}..{} ({} records at most)", store, partition, startingOffset,
                endingOffset, endingOffset - startingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restored.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(numRestored);
        Restoring now = restoring.get(partition);
        if (now != null) {
            now.left().addAndGet(-numRestored);
        }
        long restoredNow = done.addAndGet(numRestored);
        long nanos = System.nanoTime();
        long last = lastReport.get();
        if (nanos - last > PROGRESS_NANOS && lastReport.compareAndSet(last, nanos)) {
            LOG.info("{}", progress(nanos));
        }
    }

    /**
     * Records restored of the offsets to restore, with rate and ETA, over every restoration in
     * progress. Offsets, not records: compacted changelogs and transaction markers make the
     * total and the ETA upper bounds.
     */
    String progress(long nowNanos) {
        return Eta.line("restoring state: restored records", done.get(), total.get(),
                (nowNanos - restoreStart.get()) / 1e9);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        long ms = finish(partition);
        LOG.info("restored {} from {}: {} records in {} ms", store, partition, totalRestored, ms);
    }

    /** The task moved away (or closed) mid-restoration: nothing is left to restore here. */
    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        long ms = finish(partition);
        LOG.info("suspended restoring {} from {} after {} records in {} ms", store, partition, totalRestored, ms);
    }

    /** Forgets a restoration; returns how long it ran, in ms (-1 if unknown). */
    private long finish(TopicPartition partition) {
        Long started = startedNanos.remove(partition);
        Restoring ended = restoring.remove(partition);
        pending.addAndGet(ended == null ? 0 : -ended.span());
        return started == null ? -1 : (System.nanoTime() - started) / 1_000_000;
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

    /** A changelog partition being restored into {@code store}: {@code span} offsets at the start, {@code left} now. */
    private record Restoring(String store, long span, AtomicLong left) {
    }

    /** Records restored so far, by store. */
    Map<String, Long> totals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        restored.forEach((store, count) -> out.put(store, count.get()));
        return out;
    }
}
