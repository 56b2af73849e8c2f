package io.rollcall.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the schema check of a manifest catches, one mistake at a time, and what it lets through. */
class CrdSchemasTest {

    private static final String TOPIC = """
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaTopic
            metadata:
              name: metric-events
              labels: {strimzi.io/cluster: my-cluster}
            spec:
              partitions: 12
              replicas: 3
              config: {cleanup.policy: delete, retention.ms: "604800000"}
            """;

    private static final String ANALYSIS_TEMPLATE = """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: rollcall-verdict}
            spec:
              args: [{name: service}]
              metrics:
                - name: rollcall-verdict
                  interval: 5s
                  count: 180
                  failureLimit: "0"
                  provider:
                    web:
                      url: "http://rollcall/api/v1/rollouts/{{args.service}}"
                      jsonPath: "{$.decision}"
            """;

    private static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: rollcall}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: rollcall}
              maxReplicaCount: 12
              triggers:
                - type: kafka
                  metadata: {topic: metric-events, lagThreshold: "100000"}
            """;

    @Test
    void validObjectsOfEveryVendoredKindInTheManifestsPass() throws IOException {
        assertThat(problems(TOPIC)).isEmpty();
        assertThat(problems(ANALYSIS_TEMPLATE)).isEmpty();
        assertThat(problems(SCALED_OBJECT)).isEmpty();
    }

    @Test
    void aFlaggerCanaryGatedByAWebhookPasses() throws IOException {
        assertThat(problems("""
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata: {name: checkout}
                spec:
                  targetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
                  service: {port: 8080}
                  analysis:
                    interval: 30s
                    threshold: 1
                    iterations: 10
                    webhooks:
                      - name: rollcall-verdict
                        type: rollout
                        url: http://rollcall.rollcall.svc.cluster.local:8080/api/v1/rollouts/checkout
                """)).isEmpty();
    }

    /** A mistake in a manifest, and the one problem it must be reported as. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                mistake("a removed API version", TOPIC.replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2"),
                        "KafkaTopic/metric-events: .apiVersion: kafka.strimzi.io/v1beta2 is not served;"
                                + " KafkaTopic is served as [kafka.strimzi.io/v1]"),
                mistake("a misspelt field", TOPIC.replace("partitions:", "partitons:"),
                        "KafkaTopic/metric-events: .spec.partitons: unknown field"),
                mistake("a misspelt KEDA field", SCALED_OBJECT.replace("maxReplicaCount:", "maxReplicas:"),
                        "ScaledObject/rollcall: .spec.maxReplicas: unknown field"),
                mistake("an unknown field inside Argo's web provider", ANALYSIS_TEMPLATE.replace("jsonPath:", "jsonpath:"),
                        "AnalysisTemplate/rollcall-verdict: .spec.metrics[0].provider.web.jsonpath: unknown field"),
                mistake("an unknown metadata field", TOPIC.replace("  labels:", "  label:"),
                        "KafkaTopic/metric-events: .metadata.label: unknown field"),
                mistake("a value of the wrong type", TOPIC.replace("partitions: 12", "partitions: twelve"),
                        "KafkaTopic/metric-events: .spec.partitions: must be integer, is string \"twelve\""),
                mistake("a missing required field",
                        ANALYSIS_TEMPLATE.replace("- name: rollcall-verdict\n      interval", "- interval"),
                        "AnalysisTemplate/rollcall-verdict: .spec.metrics[0].name: required field missing"),
                mistake("a value outside its enum", """
                                apiVersion: kafka.strimzi.io/v1
                                kind: KafkaUser
                                metadata: {name: rollcall}
                                spec: {authentication: {type: scram-sha-256}}
                                """,
                        "KafkaUser/rollcall: .spec.authentication.type: must be one of"
                                + " [\"tls\", \"tls-external\", \"scram-sha-512\"], is string \"scram-sha-256\""),
                mistake("a value below its minimum", TOPIC.replace("partitions: 12", "partitions: 0"),
                        "KafkaTopic/metric-events: .spec.partitions: must be >= 1, is 0"),
                mistake("a boolean for an int-or-string", ANALYSIS_TEMPLATE.replace("count: 180", "count: true"),
                        "AnalysisTemplate/rollcall-verdict: .spec.metrics[0].count: must be an integer or a string, is boolean true"),
                // KEDA's trigger metadata is a map of strings (additionalProperties): an unquoted number would not decode.
                mistake("a broken CEL rule", SCALED_OBJECT.replace("maxReplicaCount: 12", "maxReplicaCount: 12\n  minReplicaCount: 13"),
                        "ScaledObject/rollcall: .spec: minReplicaCount must be less than or equal to maxReplicaCount"),
                mistake("a number in a map of strings", SCALED_OBJECT.replace("\"100000\"", "100000"),
                        "ScaledObject/rollcall: .spec.triggers[0].metadata.lagThreshold: must be string, is integer 100000"));
    }

    private static Arguments mistake(String what, String yaml, String problem) {
        return Arguments.of(what, yaml, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeIsReportedAsOneProblemNamingItsPath(String what, String yaml, String problem) throws IOException {
        assertThat(problems(yaml)).containsExactly(problem);
    }

    @Test
    void fieldsUnderPreserveUnknownFieldsAreFree() throws IOException {
        assertThat(problems(TOPIC.replace("cleanup.policy: delete", "any.topic.setting: 1"))).isEmpty();
    }

    @Test
    void anUnknownMetadataFieldOfACustomResourceIsReported() throws IOException {
        assertThat(problems(TOPIC.replace("  labels:", "  label:")))
                .containsExactly("KafkaTopic/metric-events: .metadata.label: unknown field");
    }

    @Test
    void aPatchMayLeaveOutRequiredFields() throws IOException {
        Manifests.Doc patch = Manifests.parse("patch", """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: rollcall}
                spec: {minReplicaCount: 1}
                """).get(0);
        assertThat(Manifests.patchProblems(patch)).isEmpty();
        assertThat(Manifests.problems(patch)).hasSize(2).allMatch(p -> p.endsWith("required field missing"));
    }

    @Test
    void aMisspeltFieldOfABuiltInKindIsReportedByTheModel() throws IOException {
        assertThat(problems("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: rollcall}
                spec:
                  replica: 3
                  template:
                    spec:
                      containers: [{name: rollcall, image: x, readinessProb: {}}]
                """)).containsExactlyInAnyOrder("StatefulSet/rollcall: .spec.replica: unknown field",
                "StatefulSet/rollcall: .spec.template.spec.containers[0].readinessProb: unknown field");
    }

    @Test
    void aKindWithoutAnySchemaIsAnError() throws IOException {
        assertThat(problems("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """)).singleElement().asString().contains("no schema for example.com/v1 Widget");
    }

    private static List<String> problems(String yaml) throws IOException {
        return Manifests.problems(Manifests.parse("test", yaml).get(0));
    }
}
