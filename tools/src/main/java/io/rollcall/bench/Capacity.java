package io.rollcall.bench;

import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * What the running instances process per second, from the group's committed offsets: while they
 * catch up with what is on the topic, with a backlog produced before the measurement (the producer
 * idle), and while a producer writes faster than that (sharing the cores, as in a benchmark's steps).
 */
final class Capacity {

    /** Backlog to produce, in seconds of the rate estimated before: more than {@link #SETTLE} + {@link #WINDOW}. */
    private static final int BACKLOG_SECONDS = 60;
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(20);
    private static final Duration SHORTEST_WINDOW = Duration.ofSeconds(10);

    private final RollcallConfig config;
    private final int series;
    private final LagProbe lag;
    private final Fleet fleet;
    private final PrintStream out;

    Capacity(RollcallConfig config, int series, LagProbe lag, Fleet fleet, PrintStream out) {
        this.config = config;
        this.series = series;
        this.lag = lag;
        this.fleet = fleet;
        this.out = out;
    }

    /**
     * Waits until the group committed {@code events} in all; returns the rate from its first
     * commit on.
     *
     * @throws IllegalStateException when that took longer than {@code limit}
     */
    double awaitCommitted(long events, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        LagTrend.Sample first = null;
        LagTrend.Sample last = lag.latestSince(0);
        while (last == null || last.committed() < events) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the instances did not commit " + events + " events within "
                        + limit.toMinutes() + " minutes");
            }
            fleet.checkAlive();
            TimeUnit.MILLISECONDS.sleep(500);
            last = lag.latestSince(0);
            first = first == null && last != null && last.committed() > 0 ? last : first;
        }
        // All committed between two samples: no rate to tell, the whole count in about a second.
        return first == null || first == last ? last.committed() : LagTrend.committedRate(first, last);
    }

    /**
     * Produces a backlog of {@link #BACKLOG_SECONDS} at the {@code estimate}d rate, measures the
     * committed rate over {@link #WINDOW} from {@link #SETTLE} after the backlog was written, prints
     * it, and returns once the backlog is processed.
     */
    double measure(double estimate) throws InterruptedException {
        long backlog = Math.max(10_000, Math.round(estimate * BACKLOG_SECONDS));
        LoadGenerator.preload(config.kafkaProperties(), new LoadGenerator.Settings(config.eventsTopic(), 0, backlog,
                series, 5), event -> { }, Duration.ofMinutes(5));
        long written = System.nanoTime();
        long from = written + SETTLE.toNanos();
        long to = from + WINDOW.toNanos();
        // Below a second's worth the backlog is as good as gone: the instance idles part of the time.
        long drained = Math.round(estimate);
        LagTrend.Sample last = lag.latestSince(written);
        while (System.nanoTime() < to && (last == null || last.lag() > drained)) {
            fleet.checkAlive();
            TimeUnit.SECONDS.sleep(1);
            last = lag.latestSince(written);
        }
        List<LagTrend.Sample> busy = lag.samples().stream()
                .filter(s -> s.atNanos() >= from && s.atNanos() <= to && s.lag() > drained).toList();
        if (busy.size() < 2) {
            busy = lag.samples().stream().filter(s -> s.atNanos() >= written && s.lag() > drained).toList();
        }
        if (busy.size() < 2) {
            throw new IllegalStateException("the backlog of " + backlog + " events was gone before it was measured");
        }
        LagTrend.Sample first = busy.get(0);
        LagTrend.Sample end = busy.get(busy.size() - 1);
        double seconds = (end.atNanos() - first.atNanos()) / 1e9;
        double rate = LagTrend.committedRate(first, end);
        out.printf("capacity of one instance, producer idle: %,.0f events/s (committed offsets over %.0f s, with a backlog of %,d "
                + "events written before, warm JVM)%s%n", rate, seconds, backlog,
                seconds < SHORTEST_WINDOW.toSeconds() ? "; the backlog ran out early: a short window" : "");
        awaitLagUnder(Math.round(rate));
        return rate;
    }

    /**
     * Produces at {@code inputRate} for {@link #SETTLE} + {@link #WINDOW}, measures the committed
     * rate over the window, prints it, and returns once the lag is processed: the capacity while a
     * producer shares the cores, as it does in the steps.
     */
    double underInput(double inputRate) throws InterruptedException {
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            LoadGenerator input = new LoadGenerator(producer, new LoadGenerator.Settings(config.eventsTopic(),
                    Math.round(inputRate), 0, series, 6), Clock.systemUTC());
            Thread producing = new Thread(input, "bench-calibration-input");
            producing.setDaemon(true);
            producing.start();
            while (System.nanoTime() - started < SETTLE.plus(WINDOW).toNanos()) {
                fleet.checkAlive();
                TimeUnit.SECONDS.sleep(1);
            }
            input.stop();
            producing.join(10_000);
        }
        long from = started + SETTLE.toNanos();
        List<LagTrend.Sample> window = lag.samples().stream().filter(s -> s.atNanos() >= from).toList();
        double rate = window.size() < 2 ? 0 : LagTrend.committedRate(window.get(0), window.get(window.size() - 1));
        out.printf("capacity of one instance while %,.0f events/s are produced: %,.0f events/s%s%n", inputRate, rate,
                rate > 0.95 * inputRate ? " (it kept up: at least this)" : "");
        awaitLagUnder(Math.round(rate));
        return rate;
    }

    private void awaitLagUnder(long records) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        LagTrend.Sample last = lag.latestSince(0);
        while (last == null || last.lag() > records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the backlog was not processed within 10 minutes");
            }
            fleet.checkAlive();
            TimeUnit.SECONDS.sleep(1);
            last = lag.latestSince(0);
        }
    }
}
