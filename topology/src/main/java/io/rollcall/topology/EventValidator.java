package io.rollcall.topology;

import io.rollcall.log.LogContext;
import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.schema.KeyPartitioner;
import io.rollcall.schema.BadRecordException;
import io.rollcall.schema.BadRecordException.Reason;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.schema.registry.ValueDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and checks each raw record of the events topic. Good events continue, stamped
 * with their event time (windows are in event time) and marked with whether they sit on
 * their single-writer partition; bad records continue as {@link Validated.Invalid} with
 * dead-letter headers naming the reason and where they came from. A schema registry that
 * cannot be asked is not bad data: its {@code RegistryUnavailableException} passes through and
 * stops the stream thread, which is replaced and resumes from its last commit.
 */
final class EventValidator implements FixedKeyProcessor<byte[], byte[], Validated> {

    private static final Logger LOG = LoggerFactory.getLogger(EventValidator.class);

    private final int partitions;
    private final int maxEventBytes;
    private final int maxLabels;
    private final long maxFutureMs;
    private final ValueDecoder<MetricEvent> decoder;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], Validated> context;

    EventValidator(int partitions, int maxEventBytes, int maxLabels, java.time.Duration maxFuture,
                   ValueDecoder<MetricEvent> decoder, PipelineMetrics metrics) {
        this.partitions = partitions;
        this.maxEventBytes = maxEventBytes;
        this.maxLabels = maxLabels;
        this.maxFutureMs = maxFuture.toMillis();
        this.decoder = decoder;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Validated> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        try {
            MetricEvent event = check(record.key(), record.value());
            boolean placed = context.recordMetadata()
                    .map(source -> source.partition() == KeyPartitioner.partition(record.key(), partitions))
                    .orElse(false);
            context.forward(record
                    .withValue((Validated) new Validated.Valid(event, placed))
                    .withTimestamp(event.getTimestamp().toEpochMilli()));
        } catch (BadRecordException e) {
            metrics.deadLettered(e.reason());
            logDeadLetter(record.key(), e);
            context.forward(record
                    .withValue((Validated) new Validated.Invalid(record.value(), e.reason(), e.getMessage()))
                    .withHeaders(deadLetterHeaders(record.headers(), e)));
        }
    }

    /** At DEBUG only: bad data is counted (metrics) and kept (dead-letter topic), not logged one line each. */
    private void logDeadLetter(byte[] key, BadRecordException e) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        try (LogContext ignored = LogContext.of()
                .with(LogContext.SERIES_ID, key != null && key.length == SeriesId.BYTES ? SeriesId.fromBytes(key) : null)
                .with(LogContext.PARTITION, context.recordMetadata()
                        .map(source -> LogContext.topicPartition(source.topic(), source.partition())).orElse(null))
                .with(LogContext.TASK, context.taskId())) {
            LOG.debug("dead-lettered ({}): {}", e.reason().code(), e.getMessage());
        }
    }

    private MetricEvent check(byte[] key, byte[] value) {
        if (key == null || key.length != SeriesId.BYTES) {
            throw invalid(Reason.BAD_KEY, "key must be a series id of exactly 8 bytes, got "
                    + (key == null ? "null" : key.length + " bytes"));
        }
        if (value == null) {
            throw invalid(Reason.NULL_VALUE, "value is null");
        }
        if (value.length > maxEventBytes) {
            throw invalid(Reason.TOO_LARGE, "value of " + value.length + " bytes exceeds rollcall.event.max-bytes="
                    + maxEventBytes);
        }
        MetricEvent event = decoder.decode(value);
        SeriesId keyId = SeriesId.fromBytes(key);
        if (event.getId() != keyId.bits()) {
            throw invalid(Reason.INVALID_EVENT, "event id " + Long.toUnsignedString(event.getId())
                    + " does not match record key " + keyId);
        }
        double v = event.getValue();
        if (!Double.isFinite(v)) {
            throw invalid(Reason.INVALID_EVENT, "value must be finite, got " + v);
        }
        if (v < 0 && event.getType() != MetricType.GAUGE) {
            throw invalid(Reason.INVALID_EVENT, event.getType() + " value must be >= 0, got " + v);
        }
        if (event.getTimestamp().toEpochMilli() < 0) {
            throw invalid(Reason.INVALID_EVENT, "timestamp before 1970: " + event.getTimestamp());
        }
        long ahead = event.getTimestamp().toEpochMilli() - context.currentSystemTimeMs();
        if (ahead > maxFutureMs) {
            throw invalid(Reason.INVALID_EVENT, "timestamp " + event.getTimestamp() + " is " + ahead / 1000
                    + " s ahead of this instance's clock; rollcall.event.max-future=" + maxFutureMs / 1000 + " s");
        }
        if (event.getLabels().size() > maxLabels) {
            throw invalid(Reason.INVALID_EVENT, event.getLabels().size()
                    + " labels exceed rollcall.event.max-labels=" + maxLabels);
        }
        return event;
    }

    private static BadRecordException invalid(Reason reason, String message) {
        return new BadRecordException(reason, message);
    }

    private Headers deadLetterHeaders(Headers headers, BadRecordException e) {
        headers.remove(DeadLetterHeaders.REASON);
        headers.remove(DeadLetterHeaders.MESSAGE);
        headers.add(DeadLetterHeaders.REASON, utf8(e.reason().code()));
        headers.add(DeadLetterHeaders.MESSAGE, utf8(e.getMessage()));
        context.recordMetadata().ifPresent((RecordMetadata source) -> {
            headers.remove(DeadLetterHeaders.SOURCE_TOPIC);
            headers.remove(DeadLetterHeaders.SOURCE_PARTITION);
            headers.remove(DeadLetterHeaders.SOURCE_OFFSET);
            headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(source.topic()));
            headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
            headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        });
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
