package io.rollcall.load;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces a {@link Workload} to a topic at a fixed rate (or as fast as the producer goes),
 * for a fixed count or until stopped. Counts what was sent and acknowledged.
 */
public final class LoadGenerator implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

    /** How the {@code n}-th event (from 0) is written as a record value. */
    @FunctionalInterface
    public interface Encoding {
        byte[] encode(long n, MetricEvent event);
    }

    /** Parameters of one run. {@code rate} 0 means unthrottled; {@code count} 0 means until stopped. */
    public record Settings(String topic, long rate, long count, int series, long seed, Spread spread) {
        /** Uniform over the series. */
        public Settings(String topic, long rate, long count, int series, long seed) {
            this(topic, rate, count, series, seed, new Spread.Uniform());
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final Settings settings;
    private final Workload workload;
    private final Clock clock;
    private final AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private Consumer<MetricEvent> tap = event -> { };
    private Encoding encoding = (n, event) -> serde.serialize(event);

    public LoadGenerator(Producer<byte[], byte[]> producer, Settings settings, Clock clock) {
        this.producer = producer;
        this.settings = settings;
        this.workload = new Workload(settings.series(), settings.seed(), settings.spread());
        this.clock = clock;
    }

    /** Producer settings for throughput: idempotent, acks=all, large batches, lz4. */
    public static Properties producerProperties(Properties kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putAll(kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    public static KafkaProducer<byte[], byte[]> producer(Properties kafka) {
        return new KafkaProducer<>(producerProperties(kafka));
    }

    /**
     * Produces {@code settings} to the end and waits for every acknowledgement: a topic
     * preloaded for a benchmark.
     *
     * @param tap sees every event before it is sent
     * @return how long producing and acknowledging took
     * @throws IllegalStateException when a send failed or not all were acknowledged within {@code timeout}
     */
    public static Duration preload(Properties kafka, Settings settings, Consumer<MetricEvent> tap, Duration timeout) {
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            LoadGenerator generator = new LoadGenerator(producer, settings, Clock.systemUTC()).tap(tap);
            long start = System.nanoTime();
            generator.run();
            if (!generator.awaitAcks(timeout) || generator.failed() > 0) {
                throw new IllegalStateException("preload incomplete: " + generator.acked() + " acked, "
                        + generator.failed() + " failed of " + generator.sent());
            }
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    /** Sees every event before it is sent (for ground truth in tests); call before {@link #run()}. */
    public LoadGenerator tap(Consumer<MetricEvent> tap) {
        this.tap = tap;
        return this;
    }

    /** Writes events as {@code encoding} says rather than in single-object encoding; call before {@link #run()}. */
    public LoadGenerator encodeWith(Encoding encoding) {
        this.encoding = encoding;
        return this;
    }

    public Workload workload() {
        return workload;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long n = 0;
        while (!stopped.get() && (settings.count() == 0 || n < settings.count())) {
            MetricEvent event = workload.next(clock.millis());
            tap.accept(event);
            byte[] key = SeriesId.of(event.getId()).toBytes();
            byte[] value = encoding.encode(n, event);
            producer.send(new ProducerRecord<>(settings.topic(), key, value), (metadata, error) -> {
                if (error == null) {
                    acked.incrementAndGet();
                } else if (failed.getAndIncrement() == 0) {
                    LOG.warn("send failed (further failures are only counted): {}", error.toString());
                }
            });
            sent.incrementAndGet();
            n++;
            if (settings.rate() > 0 && n % 100 == 0) {
                pace(start, n);
            }
        }
        producer.flush();
    }

    private void pace(long startNanos, long n) {
        long due = startNanos + n * 1_000_000_000L / settings.rate();
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    public void stop() {
        stopped.set(true);
    }

    public long sent() {
        return sent.get();
    }

    public long acked() {
        return acked.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Waits until every sent record is acknowledged or failed. */
    public boolean awaitAcks(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acked.get() + failed.get() < sent.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(10_000_000L);
        }
        return true;
    }
}
