package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.ReadTally.Kind;
import io.rollcall.bench.ReadTally.Read;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadTallyTest {

    private static Read at(long millis, Kind kind) {
        return new Read(millis * 1_000_000, kind, kind == Kind.OTHER ? "404 gone" : kind == Kind.NO_ANSWER
                ? "ConnectException" : null);
    }

    @Test
    void countsEachKindAndTheDetailsOfUnacceptableAnswers() {
        ReadTally tally = ReadTally.of(List.of(at(0, Kind.FRESH), at(1, Kind.STALE), at(2, Kind.RETRY_LATER),
                at(3, Kind.OTHER), at(4, Kind.OTHER), at(5, Kind.NO_ANSWER), at(6, Kind.FRESH)));

        assertThat(tally.answered()).isEqualTo(3);
        assertThat(tally.stale()).isEqualTo(1);
        assertThat(tally.retryLater()).isEqualTo(1);
        assertThat(tally.other()).isEqualTo(Map.of("404 gone", 2L));
        assertThat(tally.noAnswer()).isEqualTo(Map.of("ConnectException", 1L));
    }

    @Test
    void theLongestFailingStretchRunsFromAFailureToTheLastFailureBeforeAnAnswer() {
        ReadTally tally = ReadTally.of(List.of(at(0, Kind.RETRY_LATER), at(100, Kind.RETRY_LATER),
                at(200, Kind.FRESH), at(300, Kind.NO_ANSWER), at(400, Kind.RETRY_LATER), at(650, Kind.OTHER),
                at(700, Kind.STALE), at(800, Kind.RETRY_LATER)));

        assertThat(tally.longestFailingMs()).isEqualTo(350);
    }

    @Test
    void readsCountInTheOrderTheyWereSentNotTheOrderTheyEnded() {
        ReadTally tally = ReadTally.of(List.of(at(500, Kind.RETRY_LATER), at(100, Kind.RETRY_LATER),
                at(300, Kind.FRESH)));

        assertThat(tally.longestFailingMs()).isZero();
    }

    @Test
    void aStretchStillFailingAtTheEndCounts() {
        ReadTally tally = ReadTally.of(List.of(at(0, Kind.FRESH), at(100, Kind.NO_ANSWER), at(900, Kind.NO_ANSWER)));

        assertThat(tally.longestFailingMs()).isEqualTo(800);
    }
}
