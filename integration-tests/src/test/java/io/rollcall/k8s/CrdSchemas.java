package io.rollcall.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Custom resources against the {@code openAPIV3Schema} of the upstream CRDs vendored under
 * {@code src/test/resources/crds} (see its README), as the API server of a cluster with those
 * operators would check them: the apiVersion must be a served version of the CRD's group, the
 * object must match that version's schema ({@link StructuralSchema}), and {@code metadata} is
 * object metadata (fabric8's {@link ObjectMeta}).
 *
 * <p>Why a walker of our own and not a JSON Schema library (networknt's, say): what sets a CRD
 * schema apart from JSON Schema is exactly what the check is for — an undeclared field is an
 * error except under {@code x-kubernetes-preserve-unknown-fields}, only outside junctors,
 * {@code x-kubernetes-int-or-string}, {@code nullable}, embedded resources, implicit
 * apiVersion/kind/metadata, list-map keys. A library would need every schema rewritten node by
 * node into draft-4 terms (a walker of the same size) and its messages mapped back to paths,
 * and still could not check list-map keys; the JSON Schema part left over is a few value checks.
 *
 * <p>The CEL rules ({@code x-kubernetes-validations}) are evaluated too ({@link CelRules}), except
 * transition rules, which compare with the previous object. The vendored CRDs have: KEDA
 * ScaledObject {@code .spec} (minReplicaCount &lt;= maxReplicaCount), Strimzi KafkaUser
 * {@code .spec.authentication} (validity/renewal days only for tls, both or neither, renewal
 * first), Strimzi Kafka rack and metricsConfig consistency, Flagger Canary mirror backendRef port,
 * and Argo Rollout {@code .spec.selector} immutability (a transition rule, so skipped).
 */
final class CrdSchemas {

    /** CRDs by "group/kind". */
    private final Map<String, CustomResourceDefinition> crds;

    private CrdSchemas(Map<String, CustomResourceDefinition> crds) {
        this.crds = crds;
    }

    /** The CRDs vendored with the tests. */
    static CrdSchemas vendored() {
        try {
            return load(Path.of(CrdSchemas.class.getResource("/crds").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static CrdSchemas load(Path dir) {
        Map<String, CustomResourceDefinition> crds = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
                    crds.put(crd.getSpec().getGroup() + "/" + crd.getSpec().getNames().getKind(), crd);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CrdSchemas(crds);
    }

    /** Whether a CRD defines {@code kind} in the group of {@code apiVersion} (in any version). */
    boolean defines(String apiVersion, String kind) {
        return crds.containsKey(group(apiVersion) + "/" + kind);
    }

    /**
     * Every problem of a custom resource, as ".path: problem"; a {@code patch} (strategic merge)
     * may leave out required fields and carry patch directives.
     */
    List<String> validate(JsonNode object, boolean patch) {
        String apiVersion = object.path("apiVersion").asText();
        CustomResourceDefinition crd = crds.get(group(apiVersion) + "/" + object.path("kind").asText());
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        Optional<CustomResourceDefinitionVersion> served = crd.getSpec().getVersions().stream()
                .filter(v -> v.getName().equals(version) && Boolean.TRUE.equals(v.getServed())).findFirst();
        if (served.isEmpty()) {
            return List.of(".apiVersion: " + apiVersion + " is not served; " + crd.getSpec().getNames().getKind()
                    + " is served as " + crd.getSpec().getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getServed()))
                    .map(v -> group(apiVersion) + "/" + v.getName()).toList());
        }
        List<String> problems = new ArrayList<>(
                StructuralSchema.validate(object, served.get().getSchema().getOpenAPIV3Schema(), patch, StructuralSchema.IMPLICIT_FIELDS));
        JsonNode metadata = object.path("metadata");
        if (!metadata.isObject()) {
            problems.add(".metadata: must be object");
        } else {
            problems.addAll(KubernetesModel.unknownFields(
                    Serialization.unmarshal(metadata.toString(), ObjectMeta.class), ".metadata", patch));
        }
        return problems;
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
