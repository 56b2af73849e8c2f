package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    void closingEndsTheWaitBeforeARestart() throws Exception {
        ThreadRestarts slow = new ThreadRestarts(Duration.ofHours(1), nanos::get);
        for (int i = 0; i < 12; i++) {
            slow.waitBeforeRestart(); // outages in a row: the next wait is 4,096 s
        }
        CompletableFuture<StreamThreadExceptionResponse> response = CompletableFuture.supplyAsync(() -> slow.handle(
                new StreamsException(new RegistryUnavailableException("down", null))));

        slow.close();

        // Waits for the handler to return, at most 30 s: without close() it would wait 4,096 s.
        assertThat(response.get(30, TimeUnit.SECONDS)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
