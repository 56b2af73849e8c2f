package io.rollcall.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollcall.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Prometheus metrics through Micrometer: JVM and process metrics, every Kafka Streams
 * (and embedded client) metric through Micrometer's Kafka Streams binder, and the HTTP
 * request timer the API records. Micrometer rather than hand-written exposition: it keeps
 * up with Kafka's metric names and Prometheus' formats for us.
 */
public final class Monitoring implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public Monitoring() {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void bind(KafkaStreams streams) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        closeables.add(metrics);
    }

    /**
     * {@code rollcall_schema_registry_requests_total{outcome}} (found, unknown, unavailable) and
     * {@code rollcall_schema_registry_available} (0 from a failed request until the next answer).
     */
    public void bind(RegistryClient client) {
        for (RegistryClient.Outcome outcome : RegistryClient.Outcome.values()) {
            FunctionCounter.builder("rollcall.schema.registry.requests", client, c -> c.requests(outcome))
                    .description("Requests to the schema registry for writer schemas, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("rollcall.schema.registry.available", client, c -> c.problem().isEmpty() ? 1 : 0)
                .description("1 while the schema registry answers, 0 from a failed request until the next answer")
                .register(registry);
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing metric binders only unregisters listeners; nothing to recover.
            }
        }
        registry.close();
    }
}
