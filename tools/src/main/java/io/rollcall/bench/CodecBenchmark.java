package io.rollcall.bench;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.aggregate.QuantileSketch;
import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import io.rollcall.load.Workload;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * What one event costs in the aggregation step, without Kafka: decoding the event, and
 * updating an aggregate held as bytes (as Kafka Streams' cache and RocksDB hold it)
 * against the same update on objects. Five rounds; the first ones warm the JIT.
 */
public final class CodecBenchmark {

    private final int events;
    private final int series;
    private final PrintStream out;

    public CodecBenchmark(int events, int series, PrintStream out) {
        this.events = events;
        this.series = series;
        this.out = out;
    }

    public void run() {
        Workload workload = new Workload(series, 1);
        AvroSerde<MetricEvent> eventSerde = AvroSerde.metricEvent();
        Serde<Aggregate> storeSerde = AggregateCodec.storeSerde();
        Serde<Aggregate> topicSerde = AggregateCodec.serde();
        List<MetricEvent> input = new ArrayList<>(events);
        List<byte[]> raw = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            MetricEvent event = workload.next(1_000L + i);
            input.add(event);
            raw.add(eventSerde.serialize(event));
        }
        out.printf("codec bench: %,d events over %,d series; µs per event (per key for the flush)%n", events, series);
        for (int round = 1; round <= 5; round++) {
            long t0 = System.nanoTime();
            long checksum = 0;
            for (byte[] bytes : raw) {
                checksum += eventSerde.deserialize(bytes).getId();
            }
            long t1 = System.nanoTime();
            Map<Long, byte[]> asBytes = new HashMap<>();
            for (MetricEvent event : input) {
                byte[] stored = asBytes.get(event.getId());
                Aggregate current = stored == null ? Aggregate.empty() : storeSerde.deserializer().deserialize("", stored);
                asBytes.put(event.getId(), storeSerde.serializer().serialize("", current.add(event)));
            }
            long t2 = System.nanoTime();
            Map<Long, Aggregate> asObjects = new HashMap<>();
            for (MetricEvent event : input) {
                asObjects.merge(event.getId(), Aggregate.of(event), (current, ignored) -> current.add(event));
            }
            long t3 = System.nanoTime();
            long bytes = 0;
            for (byte[] stored : asBytes.values()) {
                bytes += stored.length;
                checksum += topicSerde.serializer().serialize("", storeSerde.deserializer().deserialize("", stored)).length;
            }
            long t4 = System.nanoTime();
            // The sketch update alone: the previous design copied a DDSketch (dense store) per
            // event to keep values immutable; QuantileSketch copies only the bins in use.
            Map<Long, DDSketch> copied = new HashMap<>();
            for (MetricEvent event : input) {
                DDSketch current = copied.get(event.getId());
                DDSketch next = current == null
                        ? new DDSketch(new LogarithmicMapping(0.01), () -> new CollapsingLowestDenseStore(2048))
                        : current.copy();
                next.accept(event.getValue());
                copied.put(event.getId(), next);
            }
            long t5 = System.nanoTime();
            Map<Long, QuantileSketch> sparse = new HashMap<>();
            for (MetricEvent event : input) {
                sparse.merge(event.getId(), QuantileSketch.empty().add(event.getValue()),
                        (current, ignored) -> current.add(event.getValue()));
            }
            long t6 = System.nanoTime();
            checksum += copied.size() + sparse.size();
            out.printf("round %d: decode event %.2f · update as bytes %.2f · update as objects %.2f · "
                            + "flush to topic %.2f per key · %d bytes per stored aggregate · sketch update: "
                            + "DDSketch copy %.3f, sparse %.3f (%.1fx) (checksum %d)%n",
                    round, micros(t1 - t0, events), micros(t2 - t1, events), micros(t3 - t2, events),
                    micros(t4 - t3, asBytes.size()), bytes / asBytes.size(), micros(t5 - t4, events),
                    micros(t6 - t5, events), (double) (t5 - t4) / (t6 - t5), checksum & 0xff);
        }
        out.printf("heap held per aggregate object (what rollcall.store.cached-aggregates costs): %,d bytes%n",
                heapPerAggregate(input));
    }

    /** Heap the aggregates of the input hold as objects, per series, measured around full GCs. */
    private static long heapPerAggregate(List<MetricEvent> input) {
        Runtime runtime = Runtime.getRuntime();
        long before = usedAfterGc(runtime);
        Map<Long, Aggregate> held = new HashMap<>();
        for (MetricEvent event : input) {
            held.merge(event.getId(), Aggregate.of(event), (current, ignored) -> current.add(event));
        }
        long after = usedAfterGc(runtime);
        long perAggregate = (after - before) / Math.max(1, held.size());
        return held.isEmpty() ? 0 : perAggregate;
    }

    private static long usedAfterGc(Runtime runtime) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double micros(long nanos, long count) {
        return nanos / 1e3 / count;
    }
}
