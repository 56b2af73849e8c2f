package io.rollcall.app;

import io.rollcall.log.LogContext;
import io.rollcall.schema.registry.RegistryUnavailableException;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an exception inside rollcall's processors does: it fails the stream thread, which is
 * replaced and resumes from its last commit (exactly-once: its open transaction is aborted).
 * An exception there is a bug or a dependency that is away, never bad data (the validator
 * dead-letters bad data itself), so no record is skipped. A schema registry that cannot be
 * asked is expected now and then: one line at WARN, and no dead-letter record — the record is
 * read again once the registry answers. Anything else is as Kafka Streams' own
 * {@link LogAndFailProcessingExceptionHandler} has it.
 */
public final class ProcessingErrors implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessingErrors.class);

    private final LogAndFailProcessingExceptionHandler others = new LogAndFailProcessingExceptionHandler();

    @Override
    public void configure(Map<String, ?> configs) {
        others.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Optional<RegistryUnavailableException> outage = registryOutage(exception);
        if (outage.isPresent()) {
            try (LogContext ignored = LogContext.partition(context.topic(), context.partition())
                    .with(LogContext.TASK, context.taskId())) {
                LOG.warn("{} at {}-{}@{}: the stream thread stops and resumes from its last commit",
                        outage.get().getMessage(), context.topic(), context.partition(), context.offset());
            }
            return Response.fail();
        }
        return others.handleError(context, record, exception);
    }

    /** The registry outage {@code failure} comes from, if it does. */
    static Optional<RegistryUnavailableException> registryOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RegistryUnavailableException outage) {
                return Optional.of(outage);
            }
        }
        return Optional.empty();
    }
}
