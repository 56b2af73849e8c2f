package io.rollcall.app;

import io.rollcall.config.RollcallConfig;
import io.rollcall.store.RocksDbTuning;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.assignment.assignors.StickyTaskAssignor;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** Kafka Streams properties: rollcall's defaults, overridden by any Kafka setting the user gave. */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    /** Largest record the app's producers send: 64 MiB, above any sane max.message.bytes. */
    static final int MAX_REQUEST_BYTES = 64 << 20;

    /** How the producers compress what they write (Kafka's {@code compression.type}). */
    private static final String COMPRESSION = "lz4";

    /** Largest batch a producer builds per partition (Kafka's {@code batch.size}; its default is 16 KiB). */
    private static final int BATCH_BYTES = 128 << 10;

    /** Longest a changelog update stays uncompacted (measured in BENCHMARKS.md, "Restarts"). */
    static final Duration CHANGELOG_MAX_COMPACTION_LAG = Duration.ofMinutes(1);

    /**
     * The settings of the instance other instances reach at {@code self}: {@link #of(RollcallConfig)}
     * plus {@code application.server} (always {@code self}: instances find each other's HTTP
     * endpoints through it) and, unless the user gave one, {@code group.instance.id} = {@code
     * host-port}. A restarted instance (same address, same state directory) then rejoins as the
     * member it was, without a rebalance; an address is unique in the group, as reads are routed
     * by it. (':' is not allowed in the id.)
     */
    public static Properties of(RollcallConfig config, HostInfo self) {
        Properties props = of(config);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        props.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, self.host() + "-" + self.port());
        return props;
    }

    /** The settings every instance shares. */
    public static Properties of(RollcallConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(Runtime.getRuntime().availableProcessors()));
        // Tasks stay where they are and a new instance takes its share at the first rebalance
        // (restoring it from the changelog, preferring instances that hold a standby copy). The
        // default high-availability assignor instead warms new copies up and moves tasks only at
        // probing rebalances, at most max.warmup.replicas per probing.rebalance.interval.ms (10 min),
        // and it judges "caught up" by changelog offsets, which on a long-lived compacted changelog
        // are far above what a restore reads: a scale-out then helps only after many minutes.
        props.put(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG, StickyTaskAssignor.class.getName());
        // A restore (a new instance, or one restarted after an unclean exactly-once stop) reads a
        // changelog from its start, and Kafka compacts only closed segments (1 GiB by default):
        // the records a restore reads grow with every update. With a maximum compaction lag the
        // broker closes and compacts changelog segments at least this often, so a restore reads
        // the compacted state plus at most about this long of updates (repartition topics, not
        // compacted, ignore it). Streams sets it when it creates a changelog topic.
        props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
                Long.toString(CHANGELOG_MAX_COMPACTION_LAG.toMillis()));
        // The aggregating task reads two partitions: the events topic's and the single-writer
        // repartition topic's, which is empty while producers partition as Kafka does. With task
        // idling on (Streams' default, 0) a task with an empty input does not process until it knows
        // that input's lag, and each check formats log messages it never logs (KAFKA-19682): 15-18 %
        // of the stream thread's samples in a profile of the skewed workload. Without
        // idling the task takes its buffered records in timestamp order without waiting for the
        // other input; a rerouted event that comes later than newer ones is still counted in its
        // window within the grace period.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // Bad input never reaches a deserializer: the source reads raw bytes and the
        // validator routes bad records to the dead-letter topic itself. Only the internal
        // repartition topic is deserialized, and we wrote it; if that ever fails, log and
        // skip the record rather than stop every series.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        // An exception inside our processors is a bug or a dependency that is away, not bad
        // data: fail the thread rather than silently drop aggregates. Production errors (e.g.
        // an ACL) fail too.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingErrors.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Each stream thread's partition assignor reads a StreamsConfig made from its consumer's
        // settings, which lack the line above; without it, every thread warns at start that the
        // handler is not enabled for the global thread, although it is.
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                "true");
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DefaultProductionExceptionHandler.class.getName());
        // Records a handler does skip still land somewhere an operator can see them.
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.deadLetterTopic());
        // Dead letters are written byte for byte, so the producer must accept records as large
        // as the events topic does (its max.message.bytes; the dead-letter topic is created
        // with the same). This is a bound, not an allocation.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(MAX_REQUEST_BYTES));
        // What the producers write (changelogs, aggregates, verdicts, dead letters) goes out in
        // LZ4-compressed batches of up to BATCH_BYTES per partition: a commit sends a task's
        // changed series at once, and the broker and the producers' network threads handle far
        // fewer, smaller requests, for a little CPU in the stream threads (measured in
        // BENCHMARKS.md, "Tuning choices"). Unprefixed, so a user's setting, prefixed or not, wins.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        RollcallConfig.RocksDb rocks = config.storage().rocksDb();
        if (rocks != null) {
            // Measured in BENCHMARKS.md ("Tuning choices"): bounded off-heap memory, LZ4-compressed state.
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbTuning.class.getName());
            props.put(RocksDbTuning.MEMORY_MB, Integer.toString(rocks.memoryMb()));
            props.put(RocksDbTuning.WRITE_BUFFER_MB, Integer.toString(rocks.writeBufferMb()));
            props.put(RocksDbTuning.COMPRESSION, rocks.compression());
        }
        props.putAll(config.kafka());
        return props;
    }
}
