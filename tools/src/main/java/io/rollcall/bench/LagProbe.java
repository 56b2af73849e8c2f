package io.rollcall.bench;

import io.rollcall.app.Offsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples a consumer group's lag on a topic once a second, through the Admin API: the sum over
 * the topic's partitions of the end offset minus the group's committed offset (0 where it has
 * committed nothing yet).
 */
final class LagProbe implements AutoCloseable {

    private static final long PERIOD_MS = 1_000;

    private final Admin admin;
    private final String group;
    private final String topic;
    private final List<LagTrend.Sample> samples = new ArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;

    private LagProbe(Admin admin, String group, String topic) {
        this.admin = admin;
        this.group = group;
        this.topic = topic;
        this.thread = new Thread(this::sampleEverySecond, "bench-lag-probe");
        this.thread.setDaemon(true);
    }

    static LagProbe start(Admin admin, String group, String topic) {
        LagProbe probe = new LagProbe(admin, group, topic);
        probe.thread.start();
        return probe;
    }

    private void sampleEverySecond() {
        long next = System.nanoTime();
        try {
            while (true) {
                try {
                    LagTrend.Sample sample = sample();
                    synchronized (samples) {
                        samples.add(sample);
                    }
                } catch (ExecutionException e) {
                    // A sample the broker did not answer is left out; the rules look at the others.
                    failures.incrementAndGet();
                }
                next += TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed: the thread ends
        }
    }

    private LagTrend.Sample sample() throws ExecutionException, InterruptedException {
        long at = System.nanoTime();
        Map<TopicPartition, Long> ends = Offsets.lastStable(admin, List.of(topic));
        Map<TopicPartition, Long> committed = Offsets.committedByPartition(admin, group);
        long lag = 0;
        long done = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            long offset = committed.getOrDefault(end.getKey(), 0L);
            lag += Math.max(0, end.getValue() - offset);
            done += offset;
        }
        return new LagTrend.Sample(at, lag, done);
    }

    /** Every sample so far, oldest first. */
    List<LagTrend.Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The newest sample taken at or after {@code fromNanos}, or null. */
    LagTrend.Sample latestSince(long fromNanos) {
        synchronized (samples) {
            LagTrend.Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
            return last != null && last.atNanos() >= fromNanos ? last : null;
        }
    }

    /** Samples the broker did not answer. */
    long failures() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5_000);
    }
}
