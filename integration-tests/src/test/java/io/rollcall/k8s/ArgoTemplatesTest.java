package io.rollcall.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Argo Rollouts gate in two scopes — {@code k8s/argo} (cluster-wide) and the base's
 * namespaced template — and the example Rollout that uses it. What the gate does against the
 * app is {@code ArgoGateIT}'s.
 */
class ArgoTemplatesTest {

    private static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();

    private static Manifests.Doc only(String file) throws IOException {
        List<Manifests.Doc> docs = Manifests.read(K8S.resolve(file));
        assertThat(docs).hasSize(1);
        return docs.get(0);
    }

    private static Set<String> names(JsonNode args) {
        return StreamSupport.stream(args.spliterator(), false).map(a -> a.path("name").asText()).collect(Collectors.toSet());
    }

    @Test
    void theNamespacedTemplateHasTheClusterTemplatesSpec() throws IOException {
        Manifests.Doc cluster = only("argo/cluster-analysis-template.yaml");
        Manifests.Doc namespaced = only("base/analysis-template.yaml");
        assertThat(cluster.kind()).isEqualTo("ClusterAnalysisTemplate");
        assertThat(namespaced.kind()).isEqualTo("AnalysisTemplate");
        assertThat(namespaced.name()).isEqualTo(cluster.name());
        assertThat(namespaced.tree().path("spec")).isEqualTo(cluster.tree().path("spec"));
    }

    @Test
    void theArgoKustomizationRendersOnlyTheClusterScopedTemplate() throws Exception {
        Path kubectl = Manifests.kubectl();
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed");
        List<Manifests.Doc> rendered = Manifests.parse("argo", Manifests.kustomize(kubectl, K8S.resolve("argo")));
        assertThat(rendered).singleElement().satisfies(doc -> {
            assertThat(doc.kind()).isEqualTo("ClusterAnalysisTemplate");
            assertThat(doc.tree().path("metadata").has("namespace")).isFalse();
            assertThat(doc.tree().path("spec")).isEqualTo(only("argo/cluster-analysis-template.yaml").tree().path("spec"));
        });
    }

    @Test
    void theExampleRolloutPassesEveryArgumentTheTemplateLeavesOpen() throws IOException {
        JsonNode template = only("argo/cluster-analysis-template.yaml").tree();
        JsonNode rollout = only("argo/rollout-example.yaml").tree();
        JsonNode analysis = StreamSupport.stream(rollout.at("/spec/strategy/canary/steps").spliterator(), false)
                .filter(step -> step.has("analysis")).findFirst().orElseThrow().path("analysis");
        assertThat(analysis.at("/templates/0/templateName").asText()).isEqualTo(template.at("/metadata/name").asText());
        assertThat(analysis.at("/templates/0/clusterScope").asBoolean()).isTrue();

        Set<String> open = StreamSupport.stream(template.at("/spec/args").spliterator(), false)
                .filter(a -> !a.has("value") && !a.has("valueFrom")).map(a -> a.path("name").asText())
                .collect(Collectors.toSet());
        assertThat(names(analysis.path("args"))).containsAll(open).isSubsetOf(names(template.at("/spec/args")));
        Map<String, String> hashes = StreamSupport.stream(analysis.path("args").spliterator(), false)
                .filter(a -> a.has("valueFrom"))
                .collect(Collectors.toMap(a -> a.path("name").asText(), a -> a.at("/valueFrom/podTemplateHashValue").asText()));
        assertThat(hashes).containsExactlyInAnyOrderEntriesOf(Map.of("canary-hash", "Latest", "stable-hash", "Stable"));
    }

    @Test
    void theExampleAppLabelsItsEventsWithThePodTemplateHash() throws IOException {
        JsonNode container = only("argo/rollout-example.yaml").tree().at("/spec/template/spec/containers/0");
        JsonNode revision = StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> e.path("name").asText().equals("ROLLCALL_REVISION")).findFirst().orElseThrow();
        assertThat(revision.at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.labels['rollouts-pod-template-hash']");
    }
}
