package io.rollcall.app;

import io.rollcall.log.LogContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread that fails is replaced; with exactly-once its open transaction is aborted
 * and its replacement resumes from the last commit, so nothing is lost or counted twice. When
 * it failed because the schema registry could not be asked, the failing thread first waits —
 * 1 s, then twice as long after each further outage up to {@code maxWait}, back to 1 s once
 * the threads have run for twice the last wait without one — so a registry that is down is asked a few
 * times a minute, not in a loop. Closing the application ends any wait at once.
 */
final class ThreadRestarts implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadRestarts.class);
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);

    private final Duration maxWait;
    private final LongSupplier nanoTime;
    private final CountDownLatch closing = new CountDownLatch(1);
    private Duration nextWait = FIRST_WAIT;
    private long lastRestartNanos;

    ThreadRestarts(Duration maxWait) {
        this(maxWait, System::nanoTime);
    }

    ThreadRestarts(Duration maxWait, LongSupplier nanoTime) {
        this.maxWait = maxWait;
        this.nanoTime = nanoTime;
        this.lastRestartNanos = nanoTime.getAsLong();
    }

    /** The task Kafka Streams names in the failure, if it does. */
    private static TaskId failedTask(Throwable failure) {
        return failure instanceof StreamsException streams ? streams.taskId().orElse(null) : null;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        if (ProcessingErrors.registryOutage(failure).isEmpty()) {
            try (LogContext ignored = LogContext.of().with(LogContext.TASK, failedTask(failure))) {
                LOG.error("stream thread failed; replacing it", failure);
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        Duration wait = waitBeforeRestart();
        LOG.warn("schema registry unavailable; replacing the stream thread in {} s", wait.toSeconds());
        try {
            closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The wait before this restart, doubling while outages follow each other. */
    synchronized Duration waitBeforeRestart() {
        long now = nanoTime.getAsLong();
        if (Duration.ofNanos(now - lastRestartNanos).compareTo(nextWait.multipliedBy(2)) > 0) {
            nextWait = FIRST_WAIT;
        }
        Duration wait = nextWait;
        nextWait = doubled(nextWait, maxWait);
        lastRestartNanos = now + wait.toNanos();
        return wait;
    }

    /** The wait after {@code wait} while a dependency stays away: twice as long, at most {@code max}. */
    static Duration doubled(Duration wait, Duration max) {
        Duration twice = wait.multipliedBy(2);
        return twice.compareTo(max) > 0 ? max : twice;
    }

    /** Ends every wait: the application is closing. */
    void close() {
        closing.countDown();
    }
}
