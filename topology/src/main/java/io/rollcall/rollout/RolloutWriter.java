package io.rollcall.rollout;

import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.RolloutSpec;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes rollout specs (and tombstones) to the rollouts topic for {@code PUT}/{@code DELETE}. */
public final class RolloutWriter implements AutoCloseable {

    /** A write Kafka did not acknowledge in time. */
    public static final class WriteFailed extends Exception {
        private static final long serialVersionUID = 1L;

        WriteFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AvroSerde<RolloutSpec> SPECS = AvroSerde.rolloutSpec();

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public RolloutWriter(RollcallConfig config) {
        Properties props = config.kafkaProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-rollout-writer");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = config.rollouts().specsTopic();
    }

    public void put(RolloutSpec spec) throws WriteFailed {
        send(spec.getService(), SPECS.serialize(spec));
    }

    public void remove(String service) throws WriteFailed {
        send(service, null);
    }

    private void send(String service, byte[] value) throws WriteFailed {
        try {
            producer.send(new ProducerRecord<>(topic, service, value)).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new WriteFailed("Kafka refused the write to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new WriteFailed("Kafka did not acknowledge the write to " + topic + " within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WriteFailed("interrupted while writing to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
