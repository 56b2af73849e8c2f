package io.rollcall.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.registry.RegistryClient;
import io.rollcall.topology.StoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Prometheus metrics through Micrometer: JVM and process metrics, every Kafka Streams
 * (and embedded client) metric through Micrometer's Kafka Streams binder, the HTTP
 * request timer the API records, rollcall's own meters of what it processes and serves
 * ({@link PipelineMetrics}), and the gauges of this instance read from Kafka Streams at scrape
 * time (stores, restoration, readiness, rebalances, consumer lag). Micrometer rather than
 * hand-written exposition: it keeps up with Kafka's metric names and Prometheus' formats for us.
 */
public final class Monitoring implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final PipelineMetrics pipeline = new PipelineMetrics(registry);
    private final Counter rebalances = Counter.builder("rollcall.rebalances")
            .description("Transitions of the Kafka Streams client into REBALANCING")
            .register(registry);

    public Monitoring() {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmCompilationMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The meters the topology's processors and the query services record into. */
    public PipelineMetrics pipeline() {
        return pipeline;
    }

    /**
     * Kafka's own metrics of {@code streams}, and from them
     * {@code rollcall_store_estimated_keys{store}} and {@code rollcall_consumer_lag_records}.
     */
    /** One pass over Kafka's metrics serves all the gauges of a scrape. */
    private static final java.time.Duration READINGS_MAX_AGE = java.time.Duration.ofSeconds(1);

    public void bind(KafkaStreams streams) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        closeables.add(metrics);
        Supplier<StreamsReadings.Snapshot> readings = StreamsReadings.cached(streams, READINGS_MAX_AGE);
        for (String store : StoreNames.ON_DISK) {
            Gauge.builder("rollcall.store.estimated.keys", readings, r -> r.get().keys(store))
                    .description("Approximate entries of this instance's replicas (active and standby) of a store")
                    .tag("store", store)
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("rollcall.consumer.lag", readings, r -> r.get().consumerLag())
                .description("Records of the active tasks' input partitions behind their end offsets, summed")
                .baseUnit("records")
                .strongReference(true)
                .register(registry);
    }

    /**
     * {@code rollcall_restore_remaining_records{store}}, {@code rollcall_restore_records_total{store}}
     * and {@code rollcall_restore_seconds_total}.
     */
    void bind(RestoreLog restores) {
        FunctionCounter.builder("rollcall.restore", restores, RestoreLog::restoringSeconds)
                .description("Seconds since start during which state was being restored from changelogs")
                .baseUnit("seconds")
                .register(registry);
        for (String store : StoreNames.ALL) {
            Gauge.builder("rollcall.restore.remaining", restores, r -> r.remaining(store))
                    .description("Changelog records still to restore into a store (an upper bound; 0 when none runs)")
                    .baseUnit("records")
                    .tag("store", store)
                    .strongReference(true)
                    .register(registry);
            FunctionCounter.builder("rollcall.restore.records", restores, r -> r.restored(store))
                    .description("Changelog records restored into a store since start")
                    .tag("store", store)
                    .register(registry);
        }
    }

    /** {@code rollcall_ready}: 1 while {@code ready}, the condition of the readiness probe. */
    public void bindReady(BooleanSupplier ready) {
        Gauge.builder("rollcall.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 while /health/ready answers 200")
                .strongReference(true)
                .register(registry);
    }

    /** Counts rebalances; called from the Kafka Streams state listener. */
    public void stateChanged(KafkaStreams.State now) {
        if (now == KafkaStreams.State.REBALANCING) {
            rebalances.increment();
        }
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
