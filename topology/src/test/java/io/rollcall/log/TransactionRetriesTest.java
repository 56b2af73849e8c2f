package io.rollcall.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** Kafka 4.4's producer as a stream thread's producer logged it while events flowed under exactly-once. */
class TransactionRetriesTest {

    private static final String CLIENT = "rollcall-f7ca5553-StreamThread-1-producer";

    private final TransactionRetries policy = TransactionRetries.create();

    @Test
    void theFirstRetryOfABurstSaysWhatHappens() {
        LogEvent event = policy.rewrite(retrying("CONCURRENT_TRANSACTIONS", 1_000));

        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getMessage().getFormattedMessage()).isEqualTo(CLIENT + " resends its writes in order: the "
                + "previous exactly-once transaction was still completing (CONCURRENT_TRANSACTIONS on "
                + "rollcall-aggregates-2 and others; one line per second)");
        assertThat(event.getMarker()).isNull();
    }

    @Test
    void theRetriesQueuedBehindItAreMarkedRepeated() {
        policy.rewrite(retrying("CONCURRENT_TRANSACTIONS", 1_000));

        assertThat(policy.rewrite(retrying("OUT_OF_ORDER_SEQUENCE_NUMBER", 1_100)).getMarker())
                .isEqualTo(ExpectedRecoveries.REPEATED);
    }

    @Test
    void retriesThatGoOnGetALinePerSecond() {
        policy.rewrite(retrying("CONCURRENT_TRANSACTIONS", 1_000));
        policy.rewrite(retrying("CONCURRENT_TRANSACTIONS", 1_600));

        assertThat(policy.rewrite(retrying("CONCURRENT_TRANSACTIONS", 2_000)).getMarker()).isNull();
    }

    @Test
    void anotherProducerErrorIsLeftAsIs() {
        LogEvent original = sender("[Producer clientId=" + CLIENT + ", transactionalId=rollcall-1] Got error produce "
                + "response with correlation id 9 on topic-partition rollcall-aggregates-2, retrying (2147483646 "
                + "attempts left). Error: NOT_ENOUGH_REPLICAS", 1_000);

        assertThat(policy.rewrite(original)).isSameAs(original);
    }

    private static LogEvent retrying(String error, long timeMillis) {
        return sender("[Producer clientId=" + CLIENT + ", transactionalId=rollcall-1] Got error produce response "
                + "with correlation id 328 on topic-partition rollcall-aggregates-2, retrying (2147483646 attempts "
                + "left). Error: " + error, timeMillis);
    }

    private static LogEvent sender(String message, long timeMillis) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName("org.apache.kafka.clients.producer.internals.Sender")
                .setLevel(Level.WARN)
                .setTimeMillis(timeMillis)
                .setMessage(new SimpleMessage(message))
                .build();
    }
}
