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

    private final Map<String, AtomicLong> restored = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> startedNanos = new ConcurrentHashMap<>();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        startedNanos.put(partition, System.nanoTime());
        LOG.info("restoring {} from {} offsets {}..{} ({} records at most)", store, partition, startingOffset,
                endingOffset, endingOffset - startingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restored.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        Long started = startedNanos.remove(partition);
        long ms = started == null ? -1 : (System.nanoTime() - started) / 1_000_000;
        LOG.info("restored {} from {}: {} records in {} ms", store, partition, totalRestored, ms);
    }

    /** Records restored so far, by store. */
    Map<String, Long> totals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        restored.forEach((store, count) -> out.put(store, count.get()));
        return out;
    }
}
