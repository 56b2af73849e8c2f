package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
}
