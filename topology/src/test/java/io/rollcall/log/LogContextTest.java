package io.rollcall.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    @Test
    void setsItsFieldsForTheBlockAndRemovesThemAfter() {
        try (LogContext ignored = LogContext.rollout("payments-r7", "payments").with(LogContext.TASK, "1_0")) {
            assertThat(MDC.getCopyOfContextMap()).containsEntry("rolloutId", "payments-r7")
                    .containsEntry("service", "payments").containsEntry("task", "1_0");
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void leavesOutAFieldWithoutAValue() {
        try (LogContext ignored = LogContext.series(null).with(LogContext.PARTITION, "events-3")) {
            assertThat(MDC.getCopyOfContextMap()).containsOnlyKeys("partition");
        }
    }
}
