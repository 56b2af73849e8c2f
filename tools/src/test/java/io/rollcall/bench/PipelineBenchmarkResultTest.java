package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.PipelineBenchmark.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBenchmarkResultTest {

    @Test
    void theMedianRoundIsTheOneWithTheMiddleRateWhateverTheOrderTheRoundsRanIn() {
        Result slow = new Result(1_000_000, 10.0);
        Result middle = new Result(1_000_000, 5.0);
        Result fast = new Result(1_000_000, 2.0);

        assertThat(Result.median(List.of(fast, slow, middle))).isSameAs(middle);
    }

    @Test
    void ofAnEvenNumberOfRoundsTheMedianIsTheSlowerOfTheMiddleTwo() {
        Result slowest = new Result(1_000_000, 10.0);
        Result slower = new Result(1_000_000, 6.0);
        Result faster = new Result(1_000_000, 4.0);
        Result fastest = new Result(1_000_000, 2.0);

        assertThat(Result.median(List.of(fastest, slowest, faster, slower))).isSameAs(slower);
    }
}
