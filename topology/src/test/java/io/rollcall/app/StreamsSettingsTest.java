package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.assignment.assignors.StickyTaskAssignor;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    private static final HostInfo SELF = new HostInfo("rollcall-1.rollcall-headless.kafka.svc.cluster.local", 8080);

    @Test
    void anInstanceIsAStaticMemberNamedAfterTheAddressItIsReachedAt() {
        Properties props = StreamsSettings.of(RollcallConfig.of(Map.of()), SELF);

        assertThat(props.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                .isEqualTo("rollcall-1.rollcall-headless.kafka.svc.cluster.local-8080");
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG))
                .isEqualTo("rollcall-1.rollcall-headless.kafka.svc.cluster.local:8080");
    }

    @Test
    void aGroupInstanceIdTheUserGaveWins() {
        Properties props = StreamsSettings.of(RollcallConfig.of(Map.of("group.instance.id", "rollcall-1")), SELF);

        assertThat(props.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)).isEqualTo("rollcall-1");
    }

    @Test
    void tasksAreAssignedStickilyUnlessTheUserChoosesAnotherAssignor() {
        assertThat(StreamsSettings.of(RollcallConfig.of(Map.of())).get(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG))
                .isEqualTo(StickyTaskAssignor.class.getName());
        assertThat(StreamsSettings.of(RollcallConfig.of(Map.of("task.assignor.class",
                "org.apache.kafka.streams.processor.internals.assignment.HighAvailabilityTaskAssignor")))
                .get(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG))
                .isEqualTo("org.apache.kafka.streams.processor.internals.assignment.HighAvailabilityTaskAssignor");
    }

    @Test
    void tasksDoNotIdleWaitingForAnEmptyInputUnlessTheUserSetsAnIdleTime() {
        assertThat(StreamsSettings.of(RollcallConfig.of(Map.of())).get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
                .isEqualTo("-1");
        assertThat(StreamsSettings.of(RollcallConfig.of(Map.of("max.task.idle.ms", "0")))
                .get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo("0");
    }

    @Test
    void changelogsAreCompactedAtLeastEveryMinuteUnlessTheUserSetsAnotherLag() {
        assertThat(StreamsSettings.of(RollcallConfig.of(Map.of())).get("topic.max.compaction.lag.ms"))
                .isEqualTo("60000");
        assertThat(StreamsSettings.of(RollcallConfig.of(Map.of("topic.max.compaction.lag.ms", "600000")))
                .get("topic.max.compaction.lag.ms")).isEqualTo("600000");
    }

    @Test
    void theProducersCompressWithLz4UnlessTheUserSetsACompressionTypePrefixedOrNot() {
        String compression = ProducerConfig.COMPRESSION_TYPE_CONFIG;
        assertThat(producerSetting(Map.of(), compression)).isEqualTo("lz4");
        assertThat(producerSetting(Map.of("compression.type", "zstd"), compression)).isEqualTo("zstd");
        assertThat(producerSetting(Map.of("producer.compression.type", "none"), compression)).isEqualTo("none");
    }

    @Test
    void theProducersBuildBatchesOfUpTo128KiBUnlessTheUserSetsABatchSize() {
        assertThat(producerSetting(Map.of(), ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo("131072");
        assertThat(producerSetting(Map.of("batch.size", "16384"), ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo("16384");
    }

    /** {@code key} as Kafka Streams hands it to the app's producers. */
    private static Object producerSetting(Map<String, String> settings, String key) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("bootstrap.servers", "kafka:9092");
        return new StreamsConfig(StreamsSettings.of(RollcallConfig.of(all))).getProducerConfigs("client").get(key);
    }
}
