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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Background traffic of one service at event time now: baseline (v1) and canary (v2) TIMER
 * requests, ~150 per second each, the canary failing at {@link #canaryErrorRate}.
 */
public final class CanaryTraffic implements AutoCloseable {
    private static final AvroSerde<MetricEvent> EVENTS = AvroSerde.metricEvent();
    private final AtomicBoolean running = new AtomicBoolean(true);
    public final AtomicReference<Double> canaryErrorRate = new AtomicReference<>(0.0);
    private final Thread thread;

    public CanaryTraffic(RollcallConfig config, String service) {
        thread = new Thread(() -> {
            Random random = new Random(7);
            try (KafkaProducer<byte[], byte[]> producer = io.rollcall.load.LoadGenerator.producer(config.kafkaProperties())) {
                while (running.get()) {
                    for (String revision : List.of("v1", "v2")) {
                        for (int pod = 0; pod < 3; pod++) {
                            long id = (service + revision + pod).hashCode() * 2654435761L;
                            double errors = revision.equals("v2") ? canaryErrorRate.get() : 0.0;
                            MetricEvent event = MetricEvent.newBuilder().setId(id).setName("http.server.requests")
                                    .setTimestamp(Instant.now()).setType(MetricType.TIMER)
                                    .setValue(50 * Math.exp(0.3 * random.nextGaussian()))
                                    .setStatus(random.nextDouble() < errors ? 503 : 200)
                                    .setLabels(Map.of("service", service, "revision", revision, "pod", "p" + pod))
                                    .build();
                            producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(id).toBytes(),
                                    EVENTS.serialize(event)));
                        }
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rollout-it-traffic");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
