package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.registry.RegistryUnavailableException;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProcessingErrorsTest {

    private final ProcessingErrors handler = new ProcessingErrors();
    private final Record<byte[], byte[]> record = new Record<>(new byte[8], new byte[] {0, 0, 0, 0, 1}, 0L);

    @BeforeEach
    void configure() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "metric-events-dlq"));
    }

    @Test
    void aRegistryOutageFailsTheThreadWithoutADeadLetter() {
        Response response = handler.handleError(context(), record, new RegistryUnavailableException("down", null));

        assertThat(response.result()).isEqualTo(Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void anyOtherExceptionFailsTheThread() {
        Response response = handler.handleError(context(), record, new IllegalStateException("bug"));

        assertThat(response.result()).isEqualTo(Result.FAIL);
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return "metric-events";
            }

            @Override
            public int partition() {
                return 0;
            }

            @Override
            public long offset() {
                return 12;
            }

            @Override
            public org.apache.kafka.common.header.Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "validate";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 0);
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return new byte[8];
            }

            @Override
            public byte[] sourceRawValue() {
                return new byte[] {0, 0, 0, 0, 1};
            }
        };
    }
}
