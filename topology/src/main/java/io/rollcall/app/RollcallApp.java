package io.rollcall.app;

import io.rollcall.config.RollcallConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.http.HttpApi;
import io.rollcall.query.ClusterScan;
import io.rollcall.query.Json;
import io.rollcall.rollout.RolloutWriter;
import io.rollcall.query.Forwarder;
import io.rollcall.aggregate.Aggregate;
import io.rollcall.query.Answer;
import io.rollcall.query.MetricQueries;
import io.rollcall.query.RolloutQueries;
import io.rollcall.registry.RegistryClient;
import io.rollcall.schema.avro.MetricAggregate;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.schema.registry.RegistryUnavailableException;
import java.time.Clock;
import io.rollcall.schema.SeriesId;
import io.rollcall.topology.RollcallTopology;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running instance of rollcall: topics checked, topology built, Kafka Streams started. */
public final class RollcallApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RollcallApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final HttpApi http;
    private final Monitoring monitoring;
    private final HostInfo self;
    private final Forwarder forwarder;
    private final MetricQueries queries;
    private final RolloutWriter writer;
    private final RestoreLog restores;
    private final ThreadRestarts restarts;
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile boolean stoppedCleanly;

    private RollcallApp(KafkaStreams streams, HttpApi http, Monitoring monitoring, HostInfo self,
                        Forwarder forwarder, MetricQueries queries, RolloutWriter writer, RestoreLog restores,
                        ThreadRestarts restarts) {
        this.restarts = restarts;
        this.writer = writer;
        this.restores = restores;
        this.forwarder = forwarder;
        this.queries = queries;
        this.streams = streams;
        this.http = http;
        this.monitoring = monitoring;
        this.self = self;
    }

    /**
     * Prepares topics, starts the HTTP server (so the advertised port is known), then
     * starts processing; returns without waiting for RUNNING.
     */
    public static RollcallApp start(RollcallConfig config) {
        int partitions;
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            partitions = Topics.prepare(admin, config);
        }
        Monitoring monitoring = new Monitoring();
        ObjectMapper json = Json.mapper();
        HttpApi http;
        try {
            http = HttpApi.start(config.httpHost(), config.httpPort(), monitoring.registry(), json,
                    config.apiToken(), config.tls());
        } catch (RuntimeException e) {
            monitoring.close();
            throw e;
        }
        try {
            return start(config, partitions, monitoring, json, http);
        } catch (RuntimeException e) {
            http.close();
            monitoring.close();
            throw e;
        }
    }

    private static RollcallApp start(RollcallConfig config, int partitions, Monitoring monitoring, ObjectMapper json,
                                     HttpApi http) {
        HostInfo self = new HostInfo(config.advertisedHost(), http.port());
        Optional<RegistryClient> registry = Optional.ofNullable(config.registry()).map(RegistryClient::of);
        registry.ifPresent(client -> monitoring.bind(client));
        Topology topology = RollcallTopology.build(config, partitions,
                registry.map(client -> new RollcallTopology.Registry(client,
                        published(client, config, config.registry().publishesAggregates(), config.aggregatesTopic(),
                                MetricAggregate.getClassSchema()),
                        published(client, config, config.registry().publishesVerdicts(),
                                config.rollouts().verdictsTopic(), RolloutVerdict.getClassSchema()))),
                monitoring.pipeline());
        Properties props = StreamsSettings.of(config, self);
        KafkaStreams streams = new KafkaStreams(topology, props);
        RestoreLog restores = new RestoreLog();
        streams.setGlobalStateRestoreListener(restores);
        monitoring.bind(streams);
        monitoring.bind(restores);
        Forwarder forwarder = new Forwarder(config.forwardTimeout(), MetricQueries.name(self), config.tls(),
                monitoring.pipeline());
        MetricQueries queries = new MetricQueries(streams, partitions, self, forwarder, config.windowSize(), monitoring.pipeline());
        RolloutWriter writer = new RolloutWriter(config);
        ThreadRestarts restarts = new ThreadRestarts(config.registry() == null ? ThreadRestarts.FIRST_WAIT
                : config.registry().retryMax());
        RollcallApp app = new RollcallApp(streams, http, monitoring, self, forwarder, queries, writer, restores,
                restarts);
        http.attach(new HttpApi.Services(streams, queries,
                new ClusterScan(queries, config.eventsTopic(), partitions, json),
                new RolloutQueries(queries, Clock.systemUTC(), json), writer, () -> app.running.getCount() == 0,
                () -> registry.flatMap(RegistryClient::problem)
                        .map(p -> "schema registry unavailable since " + p.since() + ": " + p.cause())
                        .stream().toList()));
        monitoring.bindReady(http::ready);
        // Read as given: new StreamsConfig(props) would log every setting once more.
        int standbyReplicas = Integer.parseInt(
                props.getProperty(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0").trim());
        double[] streamsStarted = new double[1];
        streams.setStateListener((now, before) -> {
            queries.stateChanged();
            if (now == KafkaStreams.State.RUNNING) {
                Assignments assignments = Assignments.of(streams, standbyReplicas);
                LOG.info("state {} -> {}: {}", before, now, assignments.describe());
                if (app.running.getCount() > 0) {
                    LOG.info(new StartUp(streamsStarted[0], uptimeSeconds(), restores.restoringSeconds(),
                            restores.totals().values().stream().mapToLong(Long::longValue).sum()).describe());
                    ClassDataArchive.requested().ifPresent(ClassDataArchive::writeLater);
                }
                if (assignments.standbysMissing()) {
                    LOG.warn(assignments.missing());
                }
            } else {
                LOG.info("state {} -> {}", before, now);
            }
            monitoring.stateChanged(now);
            if (now == KafkaStreams.State.RUNNING) {
                app.running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(restarts);
        LOG.info("starting {} on {} partitions of {} as group member {}", config.applicationId(), partitions,
                config.eventsTopic(), props.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        streamsStarted[0] = uptimeSeconds();
        streams.start();
        return app;
    }

    private static double uptimeSeconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    }

    /**
     * The id of {@code schema} under {@code <topic>-value} when the topic is published in the
     * Confluent wire format: registered now, asked again with backoff while the registry cannot
     * be reached (start-up waits for it), failing start-up when the registry refuses it.
     */
    private static OptionalInt published(RegistryClient client, RollcallConfig config, boolean publish, String topic,
                                         Schema schema) {
        if (!publish) {
            return OptionalInt.empty();
        }
        String subject = topic + "-value";
        Duration wait = ThreadRestarts.FIRST_WAIT;
        while (true) {
            try {
                int id = client.register(subject, schema);
                LOG.info("{} is written in the Confluent wire format: {} is schema {} under {}", topic,
                        schema.getFullName(), id, subject);
                return OptionalInt.of(id);
            } catch (RegistryUnavailableException e) {
                LOG.warn("{}; trying again in {} s", e.getMessage(), wait.toSeconds());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = ThreadRestarts.doubled(wait, config.registry().retryMax());
            }
        }
    }

    /** Blocks until the first RUNNING state or the timeout; returns whether it got there. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }


    /** The all-time aggregate of a series from this instance's own store (demo, tests). */
    public Answer<Aggregate> aggregate(SeriesId id) {
        return queries.local(id);
    }

    /** Changelog records restored into local stores since start, by store name. */
    public java.util.Map<String, Long> restoredRecords() {
        return restores.totals();
    }

    /** The HTTP port this instance serves (and advertises) on. */
    public int httpPort() {
        return http.port();
    }

    /** {@code host:port} other instances reach this one at. */
    public String instance() {
        return MetricQueries.name(self);
    }

    /** Stops the HTTP server first (in-flight requests finish), then Kafka Streams. */
    @Override
    public void close() {
        restarts.close();
        http.close();
        forwarder.close();
        writer.close();
        // Leave the group, static member or not: a clean stop may be a scale-in, and the survivors
        // should take the partitions over at once, not after session.timeout.ms (45 s). A restart
        // costs two quick rebalances instead; its tasks come back to it (sticky assignment).
        stoppedCleanly = streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (stoppedCleanly) {
            LOG.info("Kafka Streams stopped: {}", streams.state());
        } else {
            LOG.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
        monitoring.close();
    }

    /** After {@link #close()}: whether Kafka Streams reached NOT_RUNNING within the close timeout. */
    public boolean stoppedCleanly() {
        return stoppedCleanly;
    }
}
