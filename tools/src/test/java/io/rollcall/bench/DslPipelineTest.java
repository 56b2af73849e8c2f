package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.Spread;
import io.rollcall.load.Workload;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.MetricEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DslPipelineTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    private RollcallConfig config;
    private TopologyTestDriver driver;
    private TestInputTopic<Long, byte[]> events;
    private final AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();

    @BeforeEach
    void start() {
        config = BenchConfig.isolated("unused:9092", "dsl-test", Map.of("rollcall.state.dir", stateDir.toString()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dsl-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DslPipeline.topology(config), props);
        events = driver.createInputTopic(config.eventsTopic(), new LongSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void send(MetricEvent event) {
        events.pipeInput(event.getId(), serde.serialize(event), event.getTimestamp().toEpochMilli());
    }

    @Test
    void countsEverySeriesOfASkewedWorkloadAndSendsItsLatestAggregateOn() {
        Workload workload = new Workload(60, 3, new Spread.Zipf(1.1));
        Truth truth = new Truth();
        for (int i = 0; i < 600; i++) {
            MetricEvent event = workload.next(T0 + i);
            truth.add(event);
            send(event);
        }
        KeyValueStore<Long, Aggregate> store = driver.getKeyValueStore(DslPipeline.ALL_TIME);
        Map<Long, Aggregate> allTime = new HashMap<>();
        store.all().forEachRemaining(kv -> allTime.put(kv.key, kv.value));
        Map<Long, Aggregate> published = new HashMap<>();
        driver.createOutputTopic(config.aggregatesTopic(), new LongDeserializer(), AggregateCodec.serde().deserializer())
                .readKeyValuesToList().forEach(kv -> published.put(kv.key, kv.value));

        assertThat(allTime).hasSize(truth.ids());
        assertThat(truth.wrong(allTime)).isZero();
        assertThat(truth.wrong(published)).isZero();
    }

    @Test
    void aggregatesEachWindowOfASeriesApart() {
        long window = config.windowSize().toMillis();
        Workload workload = new Workload(1, 3);
        send(workload.next(T0));
        send(workload.next(T0 + 1));
        send(workload.next(T0 + window));
        long id = workload.series(0).id();

        WindowStore<Long, Aggregate> store = driver.getWindowStore(DslPipeline.WINDOWED);
        List<KeyValue<Long, Aggregate>> windows = new java.util.ArrayList<>();
        store.fetch(id, Instant.ofEpochMilli(0), Instant.ofEpochMilli(T0 + 2 * window)).forEachRemaining(windows::add);

        assertThat(windows).extracting(kv -> kv.value.count()).containsExactly(2L, 1L);
    }
}
