package io.rollcall.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.stream.Collectors;
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

    private static final String MOVED = "a processor was renamed or moved to another sub-topology. Task ids "
            + "(<sub-topology>_<partition>) name each instance's local state directories, so a changed sub-topology "
            + "makes an upgrade restore its stores from their changelogs instead of reusing local state, and a "
            + "renamed node breaks metrics and logs that name it. Keep names and order, or say so in the upgrade notes";

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

    @Test
    void everyNodeKeepsItsNameAndSubTopology() {
        TopologyDescription description = RollcallTopology.build(RollcallConfig.of(Map.of()), 6, Optional.empty())
                .describe();

        assertThat(nodes(description)).as(MOVED).containsExactly(
                "0: events, validate, route-, route-placed, placed-event, route-misplaced, misplaced-event, "
                        + "single-writer-repartition-source, valid-events, owned-events, rollout-sampler, "
                        + "route-invalid, aggregate, raw-value, rollout-samples-repartition-filter, "
                        + "single-writer-repartition-filter, aggregates, dead-letter, rollout-samples-repartition-sink, "
                        + "single-writer-repartition-sink",
                "1: rollout-specs-source-source, rollout-specs-source",
                "2: rollout-samples-repartition-source, rollout-judge, verdicts");
    }

    @Test
    void noNodeHasAGeneratedName() {
        TopologyDescription description = RollcallTopology.build(RollcallConfig.of(Map.of()), 6, Optional.empty())
                .describe();

        assertThat(nodes(description)).as("name every processor, source, sink and store (Named.as, Consumed.withName, "
                        + "Produced.withName, Materialized.as): a generated name shifts when a node is added before it")
                .noneMatch(line -> line.contains("KSTREAM-") || line.contains("KTABLE-"));
    }

    /** Per sub-topology, "ID: NODE, NODE, …" in the description's order. */
    private static List<String> nodes(TopologyDescription description) {
        List<String> lines = new ArrayList<>();
        description.globalStores().forEach(global -> lines.add(global.id() + ": " + global.source().name() + ", "
                + global.processor().name()));
        description.subtopologies().forEach(subtopology -> lines.add(subtopology.id() + ": " + subtopology.nodes().stream()
                .map(TopologyDescription.Node::name).collect(Collectors.joining(", "))));
        lines.sort(null);
        return lines;
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
