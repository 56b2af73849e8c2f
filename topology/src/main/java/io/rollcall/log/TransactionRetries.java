package io.rollcall.log;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * The producer's retries while the previous exactly-once transaction still completes. A stream
 * thread commits often (every 100 ms by default), and its next writes can reach a partition
 * before the broker has written the previous transaction's markers there: the broker refuses them
 * with CONCURRENT_TRANSACTIONS, the requests queued behind get OUT_OF_ORDER_SEQUENCE_NUMBER, and
 * the producer resends all of them in order. Kafka warns once per partition and request; this
 * policy keeps one line per second and marks the rest {@link ExpectedRecoveries#REPEATED}. Only
 * lines that say "retrying" match: a write that fails for good still reaches the stream thread,
 * which logs it as an error.
 */
@Plugin(name = "TransactionRetries", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class TransactionRetries implements RewritePolicy {

    static final long BURST_MILLIS = 1_000;

    private static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";
    private static final Pattern RETRYING = Pattern.compile("\\[Producer clientId=(?<client>[^,\\]]+)[^\\]]*\\] Got "
            + "error produce response with correlation id \\d+ on topic-partition (?<partition>\\S+), retrying "
            + "\\(\\d+ attempts left\\)\\. Error: (?<error>CONCURRENT_TRANSACTIONS|OUT_OF_ORDER_SEQUENCE_NUMBER)");

    private final Bursts retries = new Bursts(BURST_MILLIS);

    private TransactionRetries() {
    }

    @PluginFactory
    public static TransactionRetries create() {
        return new TransactionRetries();
    }

    @Override
    public LogEvent rewrite(LogEvent event) {
        if (!event.getLoggerName().equals(SENDER)) {
            return event;
        }
        Matcher matcher = RETRYING.matcher(event.getMessage().getFormattedMessage());
        if (!matcher.matches()) {
            return event;
        }
        Log4jLogEvent.Builder line = new Log4jLogEvent.Builder(event.toImmutable());
        if (!retries.starts(event.getTimeMillis())) {
            return line.setMarker(ExpectedRecoveries.REPEATED).build();
        }
        return line.setMessage(new SimpleMessage(matcher.group("client") + " resends its writes in order: the "
                + "previous exactly-once transaction was still completing (" + matcher.group("error") + " on "
                + matcher.group("partition") + " and others; one line per second)")).build();
    }
}
