package io.rollcall.log;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * Context fields of the log lines written inside a try-with-resources block: the series, rollout,
 * service, partition or task a line is about. They go into SLF4J's MDC (Log4j's ThreadContext), so
 * JSON logs carry them as fields ({@code ROLLCALL_LOG_FORMAT=json}); closing removes them again, as
 * stream threads are pooled. The field names are defined here and nowhere else.
 */
public final class LogContext implements AutoCloseable {

    public static final String SERIES_ID = "seriesId";
    public static final String ROLLOUT_ID = "rolloutId";
    public static final String SERVICE = "service";
    public static final String PARTITION = "partition";
    public static final String TASK = "task";

    private final List<String> keys = new ArrayList<>(2);

    private LogContext() {
    }

    /** An empty context, to add fields to with {@link #with}. */
    public static LogContext of() {
        return new LogContext();
    }

    public static LogContext series(Object seriesId) {
        return of().with(SERIES_ID, seriesId);
    }

    public static LogContext rollout(String rolloutId, String service) {
        return of().with(ROLLOUT_ID, rolloutId).with(SERVICE, service);
    }

    /** A Kafka {@code TopicPartition}, which prints as {@code topic-N}. */
    public static LogContext partition(Object topicPartition) {
        return of().with(PARTITION, topicPartition);
    }

    public static LogContext partition(String topic, int partition) {
        return of().with(PARTITION, topicPartition(topic, partition));
    }

    /** A topic partition as Kafka prints one, {@code topic-N}. */
    public static String topicPartition(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** Adds a field; a null value adds nothing. */
    public LogContext with(String key, Object value) {
        if (value != null) {
            MDC.put(key, value.toString());
            keys.add(key);
        }
        return this;
    }

    @Override
    public void close() {
        keys.forEach(MDC::remove);
    }
}
