package io.rollcall.bench;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The peer a user might write instead of rollcall: plain consumers that decode every event
 * and fold it into in-memory maps with the same arithmetic and sketches ({@link Aggregate},
 * all-time and per window). No state store, no changelog, no output topic, no exactly-once:
 * a crash loses everything. As many consumer threads as the pipeline has stream threads,
 * each owning a share of the partitions, so both use the same cores.
 */
final class InMemoryPeer {

    /** What the peer ended with, so the run can be checked against the pipeline. */
    record Outcome(long events, int seriesIds, int windows, double seconds) {
        double rate() {
            return events / seconds;
        }
    }

    private InMemoryPeer() {
    }

    static Outcome run(Properties kafka, String topic, int partitions, int threads, long events, Duration window)
            throws Exception {
        long windowMs = window.toMillis();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> shares = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                List<TopicPartition> mine = new ArrayList<>();
                for (int p = t; p < partitions; p += threads) {
                    mine.add(new TopicPartition(topic, p));
                }
                shares.add(pool.submit(() -> consume(kafka, mine, windowMs)));
            }
            long total = 0;
            int ids = 0;
            int windows = 0;
            for (Future<long[]> share : shares) {
                long[] counts = share.get();
                total += counts[0];
                ids += (int) counts[1];
                windows += (int) counts[2];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (total != events) {
                throw new IllegalStateException("in-memory peer read " + total + " events, expected " + events);
            }
            return new Outcome(total, ids, windows, seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads the partitions to their end offsets; returns {events, series ids, windows}. */
    private static long[] consume(Properties kafka, List<TopicPartition> partitions, long windowMs) {
        Properties props = byteReader(kafka);
        AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();
        Map<Long, Aggregate> allTime = new HashMap<>();
        Map<WindowKey, Aggregate> windowed = new HashMap<>();
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    MetricEvent event = serde.deserialize(record.value());
                    long time = event.getTimestamp().toEpochMilli();
                    allTime.compute(event.getId(), (id, old) -> (old == null ? Aggregate.empty() : old).add(event));
                    windowed.compute(new WindowKey(event.getId(), time - Math.floorMod(time, windowMs)),
                            (key, old) -> (old == null ? Aggregate.empty() : old).add(event));
                    count++;
                }
            }
        }
        return new long[] {count, allTime.size(), windowed.size()};
    }

    /** Settings of the benchmarks' plain readers: bytes, read_committed, no group commits. */
    static Properties byteReader(Properties kafka) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return props;
    }

    private record WindowKey(long id, long start) {
    }
}
