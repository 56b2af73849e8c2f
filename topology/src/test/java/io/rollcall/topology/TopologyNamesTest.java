package io.rollcall.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The names a running deployment's state hangs on: state stores (their changelog topics are
 * {@code <application id>-<store>-changelog}) and the topics the topology reads and writes,
 * repartition topics included ({@code <application id>-<name>-repartition}). Renaming one
 * orphans the state of every running instance on upgrade: the new version starts from empty
 * stores, re-reads nothing, and leaves the old topics behind.
 */
class TopologyNamesTest {

    private static final String RENAMED = "a state store or internal topic name changed. Running instances keep their "
            + "state under the old names, so an upgrade would start from empty stores and orphan the old changelog "
            + "and repartition topics. Keep the old name (Named.as, Materialized.as, Repartitioned.withName, "
            + "Stores.*Store(name)); only if the state is to be rebuilt on purpose, change the names here and say "
            + "so in the upgrade notes";

    @Test
    void storeAndTopicNamesAreThoseRunningDeploymentsHold() {
        RollcallConfig config = RollcallConfig.of(Map.of("schema.registry.url", "http://registry:8081",
                "rollcall.registry.publish", "aggregates,verdicts"));
        TopologyDescription description = RollcallTopology.build(config, 6, Optional.of(new RollcallTopology.Registry(
                id -> null, OptionalInt.of(1), OptionalInt.of(2)))).describe();

        assertThat(names(description)).as(RENAMED).containsExactly(
                "store:aggregates-all-time",
                "store:aggregates-windowed",
                "store:rollout-judges",
                "store:rollout-progress",
                "store:rollout-specs",
                "store:rollout-verdicts",
                "topic:metric-aggregates",
                "topic:metric-events",
                "topic:metric-events-dlq",
                "topic:rollout-samples-repartition",
                "topic:rollout-verdicts",
                "topic:rollouts",
                "topic:single-writer-repartition");
    }

    /** "store:NAME" and "topic:NAME" of every node, sorted. */
    private static TreeSet<String> names(TopologyDescription description) {
        TreeSet<String> names = new TreeSet<>();
        description.globalStores().forEach(global -> {
            global.source().topicSet().forEach(topic -> names.add("topic:" + topic));
            global.processor().stores().forEach(store -> names.add("store:" + store));
        });
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    source.topicSet().forEach(topic -> names.add("topic:" + topic));
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    names.add("topic:" + sink.topic());
                } else if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store -> names.add("store:" + store));
                }
            }
        }
        return names;
    }
}
