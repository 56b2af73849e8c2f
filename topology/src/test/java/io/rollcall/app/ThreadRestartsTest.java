package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadRestartsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ThreadRestarts restarts = new ThreadRestarts(Duration.ofSeconds(30), nanos::get);

    @Test
    void waitsTwiceAsLongAfterEachOutageInARowUpToTheMaximum() {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Duration wait = restarts.waitBeforeRestart();
            waits.add(wait.toSeconds());
            nanos.addAndGet(wait.plusMillis(500).toNanos());
        }

        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
    }

    @Test
    void startsOverAtOneSecondAfterAQuietSpell() {
        restarts.waitBeforeRestart();
        restarts.waitBeforeRestart();
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());

        assertThat(restarts.waitBeforeRestart()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anyFailureReplacesTheThread() {
        restarts.close();

        assertThat(restarts.handle(new StreamsException(new IllegalStateException("bug"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void closingEndsTheWaitBeforeARestart() {
        ThreadRestarts slow = new ThreadRestarts(Duration.ofHours(1), nanos::get);
        slow.close();
        long start = System.nanoTime();

        StreamThreadExceptionResponse response = slow.handle(
                new StreamsException(new RegistryUnavailableException("down", null)));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
