package io.rollcall.it;

import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Background traffic of one service at event time now: baseline and canary TIMER requests
 * (revisions v1 and v2 unless named), ~150 per second each, the canary failing at
 * {@link #canaryErrorRate}.
 */
public final class CanaryTraffic implements AutoCloseable {
    private static final AvroSerde<MetricEvent> EVENTS = AvroSerde.metricEvent();
    public final AtomicReference<Double> canaryErrorRate = new AtomicReference<>(0.0);
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "canary-traffic");
        thread.setDaemon(true);
        return thread;
    });
    private final KafkaProducer<byte[], byte[]> producer;
    private final Random random = new Random(7);

    public CanaryTraffic(RollcallConfig config, String service) {
        this(config, service, "v1", "v2");
    }

    public CanaryTraffic(RollcallConfig config, String service, String baselineRevision, String canaryRevision) {
        producer = io.rollcall.load.LoadGenerator.producer(config.kafkaProperties());
        sender.scheduleAtFixedRate(() -> sendRound(config.eventsTopic(), service, baselineRevision, canaryRevision),
                0, 20, TimeUnit.MILLISECONDS);
    }

    /** One request of each revision's three pods. */
    private void sendRound(String topic, String service, String baselineRevision, String canaryRevision) {
        for (String revision : List.of(baselineRevision, canaryRevision)) {
            for (int pod = 0; pod < 3; pod++) {
                long id = (service + revision + pod).hashCode() * 2654435761L;
                double errors = revision.equals(canaryRevision) ? canaryErrorRate.get() : 0.0;
                MetricEvent event = MetricEvent.newBuilder().setId(id).setName("http.server.requests")
                        .setTimestamp(Instant.now()).setType(MetricType.TIMER)
                        .setValue(50 * Math.exp(0.3 * random.nextGaussian()))
                        .setStatus(random.nextDouble() < errors ? 503 : 200)
                        .setLabels(Map.of("service", service, "revision", revision, "pod", "p" + pod))
                        .build();
                producer.send(new ProducerRecord<>(topic, SeriesId.of(id).toBytes(), EVENTS.serialize(event)));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(10, TimeUnit.SECONDS);
        producer.close();
    }
}
