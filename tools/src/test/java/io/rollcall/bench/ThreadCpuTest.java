package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void threadsAreToldApartByTheNamesKafkaGivesThem() {
        assertThat(ThreadCpu.kind("app-1b2c-StreamThread-2")).isEqualTo(ThreadCpu.STREAM);
        assertThat(ThreadCpu.kind("kafka-producer-network-thread | app-1b2c-StreamThread-2-producer"))
                .isEqualTo(ThreadCpu.PRODUCER_NETWORK);
        assertThat(ThreadCpu.kind("data-plane-kafka-request-handler-3")).isEqualTo(ThreadCpu.BROKER);
        assertThat(ThreadCpu.kind("main")).isEqualTo(ThreadCpu.OTHER_JAVA);
    }

    @Test
    void whatNoLiveJavaThreadUsedIsTheProcessTimeLeftOver() {
        ThreadCpu start = new ThreadCpu(Map.of(ThreadCpu.STREAM, 1_000L), 5_000L);
        ThreadCpu end = new ThreadCpu(Map.of(ThreadCpu.STREAM, 4_000L, ThreadCpu.BROKER, 500L), 10_000L);

        Map<String, Long> used = end.since(start);

        assertThat(used).containsEntry(ThreadCpu.STREAM, 3_000L).containsEntry(ThreadCpu.BROKER, 500L)
                .containsEntry(ThreadCpu.NOT_JAVA, 1_500L);
    }

    @Test
    void aBusyThreadOfThisJvmShowsUpInItsKind() {
        ThreadCpu start = ThreadCpu.now();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long busyUntil = threads.getCurrentThreadCpuTime() + 200_000_000L;
        double sink = 0;
        while (threads.getCurrentThreadCpuTime() < busyUntil) {
            sink += Math.sqrt(sink + 1);
        }
        assertThat(sink).isPositive();

        assertThat(ThreadCpu.now().since(start).get(ThreadCpu.OTHER_JAVA)).isGreaterThanOrEqualTo(200_000_000L);
    }
}
