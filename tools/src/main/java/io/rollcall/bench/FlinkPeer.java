package io.rollcall.bench;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.app.StreamsSettings;
import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.config.RollcallSettings;
import io.rollcall.schema.SeriesId;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The engine a user might pick instead: the same aggregation as an Apache Flink job (module
 * bench-flink: RocksDB state, exactly-once Kafka sink, an embedded cluster with as many slots as
 * the pipeline has stream threads), run on the preloaded topic and checked against its events.
 *
 * <p>Flink's RocksDB ({@code com.ververica:frocksdbjni}) and Kafka Streams' ({@code
 * org.rocksdb:rocksdbjni}) are both package {@code org.rocksdb}: the job runs in a class loader of
 * its own over bench-flink's classes and the jars its build lists, parented by the platform class
 * loader, and is called through reflection with {@code java.*} types only. The loader is made
 * once, as a native library can be loaded by one class loader only.
 */
final class FlinkPeer {

    /** Where the launcher says bench-flink was built: its {@code target} directory. */
    static final String LOCATION_PROPERTY = "rollcall.bench.flink";

    /**
     * The interval Flink users commonly run with: one minute, as in the Flink Kubernetes operator's
     * example deployments ({@code execution.checkpointing.interval: "1m"}) and as Amazon's managed
     * Flink sets by default (60,000 ms). Flink's own documentation gives no default (checkpointing is
     * off until set); shorter intervals cost a checkpoint and a Kafka transaction per sink subtask
     * each time, longer ones delay read_committed readers and lengthen recovery.
     */
    static final Duration COMMON_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);

    private static final String JOB_CLASS = "io.rollcall.flink.RollcallFlinkJob";

    /**
     * One run of the job, with the check of its output.
     *
     * @param seconds       from the first record read until the job finished (its final checkpoint
     *                      committed the last transactions): the events are all visible to read_committed readers
     * @param foldedSeconds from the first record read until the last event was folded into its aggregate
     * @param checkpoints   completed checkpoints, final one included
     * @param checkpointMillis their mean end-to-end duration
     * @param failedCheckpoints what Flink counts as failed checkpoints: declined ones (as the bounded job's tasks
     *                          finish) and requests it did not start
     * @param wrong         ids whose last all-time aggregate on the output topic differs in count or sum from the events, or is missing
     */
    record Outcome(Duration interval, long events, double seconds, double foldedSeconds, long checkpoints,
                   long checkpointMillis, long failedCheckpoints, int ids, int wrong) {
        /** Events per second until all were visible to read_committed readers. */
        double rate() {
            return events / seconds;
        }

        PipelineBenchmark.Result figures() {
            return new PipelineBenchmark.Result(events, seconds);
        }

        /** Events per second until all were folded, visible or not. */
        double foldedRate() {
            return events / foldedSeconds;
        }

        /** What the benchmark's report says of the run besides its rate. */
        String note() {
            // A checkpoint starts only after the previous one completed: one that takes longer than
            // the interval spaces them out, and with them the output's visibility.
            return String.format("all folded after %.2f s = %,.0f events/s; %d checkpoints at an interval of %,d ms: "
                            + "one per %,.0f ms, taking %,d ms on average, %d failed or not started; %,d of %,d ids "
                            + "wrong", foldedSeconds, foldedRate(), checkpoints, interval.toMillis(),
                    seconds * 1000 / checkpoints, checkpointMillis, failedCheckpoints, wrong, ids);
        }
    }

    /** Flink at the pipeline's freshness and at the interval users commonly run with. */
    record Comparison(Outcome matched, Outcome common) {
    }

    private static ClassLoader loader;

    private final RollcallConfig config;
    private final String topic;
    private final int partitions;
    private final int parallelism;
    private final String runId;

    private FlinkPeer(RollcallConfig config, String topic, int partitions, int parallelism, String runId) {
        this.config = config;
        this.topic = topic;
        this.partitions = partitions;
        this.parallelism = parallelism;
        this.runId = runId;
    }

    /**
     * Runs the job (once unreported first when {@code warmup}) with checkpoints every
     * {@code freshness} — the pipeline's effective commit interval, as read_committed readers see
     * Flink's output at each completed checkpoint and rollcall's at each commit — and every
     * {@link #COMMON_CHECKPOINT_INTERVAL}; empty, having said why, when bench-flink is not built.
     */
    static Optional<Comparison> compare(RollcallConfig config, String topic, int partitions, int parallelism,
                                        Duration freshness, Truth truth, boolean warmup,
                                        PrintStream out) throws Exception {
        Optional<ClassLoader> classes = classes();
        if (classes.isEmpty()) {
            out.println("(f) Flink: skipped; `./rollcall bench` builds the Flink job (module bench-flink) and passes "
                    + "-D" + LOCATION_PROPERTY + "=<bench-flink/target> to this JVM");
            return Optional.empty();
        }
        FlinkPeer peer = new FlinkPeer(config, topic, partitions, parallelism,
                Long.toString(System.currentTimeMillis(), 36));
        if (warmup) {
            peer.run(classes.get(), "warmup", freshness, truth);
        }
        return Optional.of(new Comparison(peer.run(classes.get(), "matched", freshness, truth),
                peer.run(classes.get(), "common", COMMON_CHECKPOINT_INTERVAL, truth)));
    }

    private Outcome run(ClassLoader classes, String pass, Duration interval, Truth truth)
            throws Exception {
        String name = "rollcall-flink-" + runId + "-" + pass;
        String output = topic + "-flink-" + pass;
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(output, partitions, (short) 1),
                    new NewTopic(output + "-windows", partitions, (short) 1)));
        }
        Map<String, String> settings = new HashMap<>();
        config.kafkaProperties().forEach((key, value) -> settings.put("kafka." + key, value.toString()));
        // The job's sink batches and compresses as the pipeline's producers do: the same requests reach the broker.
        Map<String, Object> producer = new StreamsConfig(StreamsSettings.of(config)).getProducerConfigs("flink");
        for (String key : List.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, ProducerConfig.BATCH_SIZE_CONFIG)) {
            settings.put("kafka." + key, producer.get(key).toString());
        }
        settings.put("name", name);
        settings.put("events.topic", topic);
        settings.put("output.topic", output);
        settings.put("parallelism", Integer.toString(parallelism));
        settings.put("checkpoint.interval.ms", Long.toString(interval.toMillis()));
        settings.put("managed.memory.mb", Integer.toString(rocksDbMemoryMb(config)));
        settings.put("window.size.ms", Long.toString(config.windowSize().toMillis()));
        settings.put("window.grace.ms", Long.toString(config.windowGrace().toMillis()));
        Map<?, ?> figures = invoke(classes, settings);
        Map<Long, Aggregate> last = lastAggregates(output);
        int wrong = truth.wrong(last);
        return new Outcome(interval, (Long) figures.get("events"), (Double) figures.get("seconds"),
                (Double) figures.get("foldedSeconds"), (Long) figures.get("checkpoints"),
                (Long) figures.get("checkpointMillis"), (Long) figures.get("failedCheckpoints"), truth.ids(), wrong);
    }

    /** The Flink job's memory for RocksDB: rollcall's bound, or its default where rollcall runs RocksDB unbounded. */
    private static int rocksDbMemoryMb(RollcallConfig config) {
        RollcallConfig.RocksDb rocks = config.storage().rocksDb();
        return rocks != null ? rocks.memoryMb()
                : Integer.parseInt(RollcallConfig.DEFAULTS.get(RollcallSettings.ROCKSDB_MEMORY_MB));
    }

    /**
     * Calls the job with its class loader as the thread's context class loader: Flink resolves
     * classes through it, and the job's Log4j finds its configuration there (from the tools' jar it
     * would get the application's, whose plugins need Kafka Streams).
     */
    private static Map<?, ?> invoke(ClassLoader classes, Map<String, String> settings) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        thread.setContextClassLoader(classes);
        try {
            return (Map<?, ?>) Class.forName(JOB_CLASS, true, classes).getMethod("run", Map.class)
                    .invoke(null, settings);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    /** The last all-time aggregate of each id on the output topic, read_committed. */
    private Map<Long, Aggregate> lastAggregates(String output) {
        Deserializer<Aggregate> values = AggregateCodec.serde().deserializer();
        Map<Long, Aggregate> last = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(InMemoryPeer.byteReader(config.kafkaProperties()))) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(output, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    last.put(SeriesId.fromBytes(record.key()).bits(), values.deserialize(output, record.value()));
                }
            }
        }
        return last;
    }

    /** bench-flink's class loader, made on first use; empty when the launcher did not say where it is. */
    private static synchronized Optional<ClassLoader> classes() {
        if (loader == null) {
            String location = System.getProperty(LOCATION_PROPERTY);
            if (location == null || location.isBlank()) {
                return Optional.empty();
            }
            loader = new URLClassLoader("bench-flink", urls(Path.of(location)), ClassLoader.getPlatformClassLoader());
        }
        return Optional.of(loader);
    }

    /** bench-flink's classes first (its log4j2.xml before the application's), then its runtime class path. */
    private static URL[] urls(Path target) {
        try {
            List<URL> urls = new ArrayList<>();
            urls.add(target.resolve("classes").toUri().toURL());
            String classpath = Files.readString(target.resolve("runtime-classpath.txt")).strip();
            for (String jar : classpath.split(java.io.File.pathSeparator)) {
                urls.add(Path.of(jar).toUri().toURL());
            }
            return urls.toArray(URL[]::new);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("bench-flink's class path is not readable under " + target
                    + "; build it with ./rollcall bench", e);
        }
    }
}
