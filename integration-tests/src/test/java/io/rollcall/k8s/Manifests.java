package io.rollcall.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Reading Kubernetes manifests into fabric8's typed model, and rendering kustomizations. */
final class Manifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Custom resources with a typed model on the class path (fabric8 finds the built-in kinds itself). */
    private static final Map<String, Class<? extends KubernetesResource>> TYPED = Map.of(
            "KafkaTopic", KafkaTopic.class,
            "KafkaUser", KafkaUser.class,
            "ServiceMonitor", ServiceMonitor.class);

    private static final Set<String> ANALYSIS_TEMPLATE_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec",
            "spec.args", "spec.args[]", "spec.args[].name", "spec.args[].value", "spec.args[].valueFrom",
            "spec.args[].valueFrom.secretKeyRef", "spec.args[].valueFrom.secretKeyRef.name",
            "spec.args[].valueFrom.secretKeyRef.key", "spec.metrics", "spec.metrics[]", "spec.metrics[].name",
            "spec.metrics[].interval", "spec.metrics[].count", "spec.metrics[].successCondition",
            "spec.metrics[].failureCondition", "spec.metrics[].failureLimit",
            "spec.metrics[].inconclusiveLimit", "spec.metrics[].consecutiveSuccessLimit",
            "spec.metrics[].consecutiveErrorLimit", "spec.metrics[].initialDelay", "spec.metrics[].provider",
            "spec.metrics[].provider.web", "spec.metrics[].provider.web.url",
            "spec.metrics[].provider.web.timeoutSeconds", "spec.metrics[].provider.web.jsonPath",
            "spec.metrics[].provider.web.headers", "spec.metrics[].provider.web.method",
            "spec.metrics[].provider.web.body");

    /**
     * Kinds without a Java model here (KEDA, Argo Rollouts): the fields they may carry, as
     * dotted paths ({@code []} for list items), from the fields of their CRDs that rollcall uses
     * or a user commonly sets. Anything else is reported as unknown.
     */
    private static final Map<String, Set<String>> UNTYPED_FIELDS = Map.of(
            "ScaledObject", Set.of("apiVersion", "kind", "metadata", "spec", "spec.scaleTargetRef",
                    "spec.scaleTargetRef.apiVersion", "spec.scaleTargetRef.kind", "spec.scaleTargetRef.name",
                    "spec.minReplicaCount", "spec.maxReplicaCount", "spec.cooldownPeriod", "spec.pollingInterval",
                    "spec.idleReplicaCount", "spec.advanced", "spec.advanced.horizontalPodAutoscalerConfig",
                    "spec.advanced.horizontalPodAutoscalerConfig.behavior", "spec.triggers", "spec.triggers[]",
                    "spec.triggers[].type", "spec.triggers[].metadata", "spec.triggers[].authenticationRef",
                    "spec.triggers[].authenticationRef.name", "spec.triggers[].name"),
            "TriggerAuthentication", Set.of("apiVersion", "kind", "metadata", "spec", "spec.secretTargetRef",
                    "spec.secretTargetRef[]", "spec.secretTargetRef[].parameter", "spec.secretTargetRef[].name",
                    "spec.secretTargetRef[].key"),
            "AnalysisTemplate", ANALYSIS_TEMPLATE_FIELDS,
            "ClusterAnalysisTemplate", ANALYSIS_TEMPLATE_FIELDS,
            "Rollout", Set.of("apiVersion", "kind", "metadata", "spec", "spec.replicas", "spec.selector",
                    "spec.selector.matchLabels", "spec.template", "spec.template.metadata", "spec.template.spec",
                    "spec.template.spec.containers", "spec.template.spec.containers[]",
                    "spec.template.spec.containers[].name", "spec.template.spec.containers[].image",
                    "spec.template.spec.containers[].ports", "spec.template.spec.containers[].ports[]",
                    "spec.template.spec.containers[].ports[].containerPort", "spec.template.spec.containers[].env",
                    "spec.template.spec.containers[].env[]", "spec.template.spec.containers[].env[].name",
                    "spec.template.spec.containers[].env[].value", "spec.template.spec.containers[].env[].valueFrom",
                    "spec.template.spec.containers[].env[].valueFrom.fieldRef",
                    "spec.template.spec.containers[].env[].valueFrom.fieldRef.fieldPath", "spec.strategy",
                    "spec.strategy.canary", "spec.strategy.canary.steps", "spec.strategy.canary.steps[]",
                    "spec.strategy.canary.steps[].setWeight", "spec.strategy.canary.steps[].analysis",
                    "spec.strategy.canary.steps[].analysis.templates", "spec.strategy.canary.steps[].analysis.templates[]",
                    "spec.strategy.canary.steps[].analysis.templates[].templateName",
                    "spec.strategy.canary.steps[].analysis.templates[].clusterScope",
                    "spec.strategy.canary.steps[].analysis.args", "spec.strategy.canary.steps[].analysis.args[]",
                    "spec.strategy.canary.steps[].analysis.args[].name", "spec.strategy.canary.steps[].analysis.args[].value",
                    "spec.strategy.canary.steps[].analysis.args[].valueFrom",
                    "spec.strategy.canary.steps[].analysis.args[].valueFrom.podTemplateHashValue"));
    /** Below these paths, free-form maps (labels, trigger metadata, HPA behaviour) are not checked. */
    private static final Set<String> FREE_FORM = Set.of("metadata", "spec.triggers[].metadata",
            "spec.selector.matchLabels", "spec.template.metadata",
            "spec.advanced.horizontalPodAutoscalerConfig.behavior", "spec.metrics[].provider.web.headers");

    private Manifests() {
    }

    /** One document of a manifest: its raw tree and the typed object fabric8 (or Strimzi) made of it. */
    record Doc(String source, JsonNode tree, Object typed) {
        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }
    }

    static List<Doc> read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file));
    }

    static List<Doc> parse(String source, String yaml) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            Iterator<JsonNode> trees = YAML.readValues(parser, JsonNode.class);
            while (trees.hasNext()) {
                JsonNode tree = trees.next();
                if (tree == null || tree.isNull() || tree.isEmpty() || !tree.has("kind")) {
                    continue;
                }
                docs.add(new Doc(source, tree, typed(tree)));
            }
        }
        return docs;
    }

    private static Object typed(JsonNode tree) {
        String kind = tree.path("kind").asText();
        if (tree.path("apiVersion").asText().startsWith("kustomize.config.k8s.io")) {
            return null;
        }
        if (TYPED.containsKey(kind)) {
            return Serialization.unmarshal(tree.toString(), TYPED.get(kind));
        }
        if (UNTYPED_FIELDS.containsKey(kind)) {
            return null;
        }
        return Serialization.unmarshal(tree.toString());
    }

    /**
     * Fields the model does not know: fabric8's and Strimzi's classes keep them in
     * {@code additionalProperties}, which is walked here through the whole object.
     */
    static List<String> unknownFields(Doc doc) {
        List<String> out = new ArrayList<>();
        if (doc.typed() != null) {
            walk(doc.typed(), doc.kind() + "/" + doc.name(), out, new IdentityHashMap<>(), 0);
        } else if (UNTYPED_FIELDS.containsKey(doc.kind())) {
            untyped(doc.tree(), "", UNTYPED_FIELDS.get(doc.kind()), doc.kind() + "/" + doc.name(), out);
        }
        return out;
    }

    private static void walk(Object value, String path, List<String> out, IdentityHashMap<Object, Boolean> seen, int depth) {
        if (value == null || depth > 40 || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, out, seen, depth + 1));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", out, seen, depth + 1);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi") || value.getClass().isEnum()) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra) {
                    // "$patch" is kustomize's strategic-merge directive in overlay patches, not a field.
                    Set<Object> unknown = new java.util.TreeSet<>(extra.keySet().stream().map(Object::toString).toList());
                    unknown.remove("$patch");
                    if (!unknown.isEmpty()) {
                        out.add(path + ": unknown field(s) " + unknown);
                    }
                }
                continue;
            }
            walk(field, path + "." + decapitalize(getter.getName().substring(3)), out, seen, depth + 1);
        }
    }

    private static void untyped(JsonNode node, String path, Set<String> allowed, String where, List<String> out) {
        if (FREE_FORM.contains(path)) {
            return;
        }
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                String child = path.isEmpty() ? name : path + "." + name;
                if (!allowed.contains(child)) {
                    out.add(where + ": unknown field " + child);
                } else {
                    untyped(node.get(name), child, allowed, where, out);
                }
            });
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                untyped(item, path + "[]", allowed, where, out);
            }
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** The kubectl on the PATH, or null. */
    static Path kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code kubectl kustomize dir}: the overlay as the cluster would receive it. */
    static String kustomize(Path kubectl, Path dir) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            // stderr to a file: reading the two pipes one after the other can block on a full one.
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectError(errors.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + Files.readString(errors));
            }
            return out;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** An object node for a tree path, or a missing node. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String step : path) {
            current = current.path(step);
        }
        return current;
    }

    static ObjectNode object() {
        return YAML.createObjectNode();
    }
}
