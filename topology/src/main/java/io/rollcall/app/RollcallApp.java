package io.rollcall.app;

import io.rollcall.config.RollcallConfig;
import io.rollcall.query.LocalAggregates;
import io.rollcall.topology.RollcallTopology;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running instance of rollcall: topics checked, topology built, Kafka Streams started. */
public final class RollcallApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RollcallApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final int eventPartitions;
    private final CountDownLatch running = new CountDownLatch(1);

    private RollcallApp(KafkaStreams streams, int eventPartitions) {
        this.streams = streams;
        this.eventPartitions = eventPartitions;
    }

    /** Prepares topics and starts processing; returns without waiting for RUNNING. */
    public static RollcallApp start(RollcallConfig config) {
        int partitions;
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            partitions = Topics.prepare(admin, config);
        }
        Topology topology = RollcallTopology.build(config, partitions);
        Properties props = StreamsSettings.of(config);
        KafkaStreams streams = new KafkaStreams(topology, props);
        RollcallApp app = new RollcallApp(streams, partitions);
        streams.setStateListener((now, before) -> {
            LOG.info("state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                app.running.countDown();
            }
        });
        // A stream thread that dies of an unexpected error is replaced; with exactly-once
        // its open transaction is aborted, so nothing is lost or counted twice.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        LOG.info("starting {} on {} partitions of {}", config.applicationId(), partitions, config.eventsTopic());
        streams.start();
        return app;
    }

    /** Blocks until the first RUNNING state or the timeout; returns whether it got there. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int eventPartitions() {
        return eventPartitions;
    }

    public LocalAggregates aggregates() {
        return new LocalAggregates(streams, eventPartitions);
    }

    @Override
    public void close() {
        if (!streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT))) {
            LOG.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
    }
}
