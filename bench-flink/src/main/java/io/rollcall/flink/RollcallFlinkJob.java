package io.rollcall.flink;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.avro.MetricEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * rollcall's aggregation written for Apache Flink as a Flink user would: a bounded Kafka source,
 * the all-time aggregate per series in keyed RocksDB state, 1-minute tumbling event-time windows,
 * both written to Kafka exactly once, run on an embedded {@link MiniCluster}.
 *
 * <pre>
 * events ─▶ (id, bytes) ─▶ keyBy(id) ─▶ all-time ─┬─▶ output topic
 *                                                 └ events ─▶ 1-minute windows ─▶ output topic-windows
 * </pre>
 */
public final class RollcallFlinkJob {

    /**
     * Longest a sink transaction may stay open: the 15-minute maximum a broker allows by default
     * ({@code transaction.max.timeout.ms}). The sink would otherwise ask for one hour, which such a
     * broker refuses; anything shorter risks the broker aborting a transaction that a slow
     * checkpoint still has to commit.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    static final TypeInformation<Tuple2<Long, Aggregate>> WINDOW_TYPE = Types.TUPLE(Types.LONG, EncodedType.AGGREGATE);

    private RollcallFlinkJob() {
    }

    /**
     * Runs the job until the source has read the events the topic held when it started and the
     * final checkpoint has committed the last output. Returns {@code events} (Long),
     * {@code seconds} (Double: from the first record read until the job finished),
     * {@code foldedSeconds} (Double: until the last event was folded), {@code checkpoints} (Long,
     * completed), {@code checkpointMillis} (Long: their mean end-to-end duration) and
     * {@code failedCheckpoints} (Long: declined, e.g. as the tasks finish, or requested and not
     * started), the last three from the job's checkpoint statistics. To be called with this module's class loader as the
     * thread's context class loader, from before this class is initialized.
     *
     * @param settings see {@link JobSettings}
     */
    public static Map<String, Object> run(Map<String, String> settings) throws Exception {
        JobSettings job = JobSettings.of(settings);
        Path work = Files.createTempDirectory("rollcall-flink");
        try {
            return run(job, work);
        } finally {
            delete(work);
        }
    }

    private static Map<String, Object> run(JobSettings job, Path work) throws Exception {
        Configuration configuration = configuration(job, work);
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(job.parallelism())
                .build())) {
            cluster.start();
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(configuration);
            define(env, job);
            JobGraph graph = env.getStreamGraph().getJobGraph();
            // A job without jars or class path runs in the job manager's system class loader, which
            // here does not hold Flink (this module has a class loader of its own): naming this
            // module's classes gives the job a class loader of its own, parent-first (see below).
            graph.setClasspaths(List.of(RollcallFlinkJob.class.getProtectionDomain().getCodeSource().getLocation()));
            JobID id = cluster.submitJob(graph).get().getJobID();
            JobResult result = cluster.requestJobResult(id).get();
            long finished = System.currentTimeMillis();
            JobExecutionResult execution = result.toJobExecutionResult(RollcallFlinkJob.class.getClassLoader());
            CheckpointStatsSnapshot checkpoints = cluster.getArchivedExecutionGraph(id).get().getCheckpointStatsSnapshot();
            long firstRead = execution.<Long>getAccumulatorResult(FirstRead.ACCUMULATOR);
            long lastFolded = execution.<Long>getAccumulatorResult(AllTimeAggregator.LAST_FOLDED_ACCUMULATOR);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("events", execution.<Long>getAccumulatorResult(AllTimeAggregator.EVENTS_ACCUMULATOR));
            figures.put("seconds", (finished - firstRead) / 1e3);
            figures.put("foldedSeconds", (lastFolded - firstRead) / 1e3);
            figures.put("checkpoints", checkpoints.getCounts().getNumberOfCompletedCheckpoints());
            figures.put("failedCheckpoints", checkpoints.getCounts().getNumberOfFailedCheckpoints());
            figures.put("checkpointMillis", checkpoints.getSummaryStats().getEndToEndDurationStats().getAverage());
            return figures;
        }
    }

    /** The cluster and the job's settings: RocksDB with incremental checkpoints, exactly once. */
    static Configuration configuration(JobSettings job, Path work) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, job.parallelism());
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, job.parallelism());
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, work.resolve("checkpoints").toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, job.checkpointInterval());
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        // RocksDB's memory is the slots' managed memory (state.backend.rocksdb.memory.managed, the
        // default): one bound for all state of the task manager, as rollcall.rocksdb.memory-mb is for
        // all stores of an instance.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(job.managedMemoryMb()));
        // Records are immutable (events, aggregates, byte arrays): chained operators can hand them on
        // without a defensive copy.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // One copy of each class: the job's class loader asks this module's first.
        conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(CoreOptions.TMP_DIRS, work.resolve("tmp").toString());
        return conf;
    }

    static void define(StreamExecutionEnvironment env, JobSettings job) {
        KafkaSource<Tuple2<Long, byte[]>> source = KafkaSource.<Tuple2<Long, byte[]>>builder()
                .setProperties(job.kafka())
                .setTopics(job.eventsTopic())
                .setGroupId(job.name())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setDeserializer(new Readings())
                .build();
        SingleOutputStreamOperator<Aggregate> allTime = env
                .fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness(job.grace()), "events")
                .uid("events")
                .map(new FirstRead<>()).returns(Readings.TYPE).name("first-read").uid("first-read")
                .keyBy(reading -> reading.f0, Types.LONG)
                .process(new AllTimeAggregator(), EncodedType.AGGREGATE).name("all-time").uid("all-time");
        allTime.sinkTo(sink(job, job.name() + "-all-time", AggregateRecords.allTime(job.outputTopic())))
                .name("all-time-sink").uid("all-time-sink");
        // Same key, same key groups as the keyBy above: the windows run in the all-time task, no second shuffle.
        DataStreamUtils.reinterpretAsKeyedStream(allTime.getSideOutput(AllTimeAggregator.EVENTS), MetricEvent::getId,
                        Types.LONG)
                .window(windows(job.windowSize()))
                .aggregate(new WindowFold(), new WindowStart(), EncodedType.AGGREGATE, EncodedType.AGGREGATE, WINDOW_TYPE)
                .name("windows").uid("windows")
                .sinkTo(sink(job, job.name() + "-windows", AggregateRecords.windows(job.windowsTopic())))
                .name("windows-sink").uid("windows-sink");
    }

    /** Tumbling windows aligned to the epoch, as rollcall's ({@code start = t - floorMod(t, size)}). */
    static TumblingEventTimeWindows windows(Duration size) {
        return TumblingEventTimeWindows.of(size);
    }

    private static <T> KafkaSink<T> sink(JobSettings job, String transactionalIdPrefix,
                                          KafkaRecordSerializationSchema<T> records) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(job.bootstrapServers())
                .setKafkaProducerConfig(job.kafka())
                .setRecordSerializer(records)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TRANSACTION_TIMEOUT.toMillis()))
                .build();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
