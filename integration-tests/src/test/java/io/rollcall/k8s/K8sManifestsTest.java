package io.rollcall.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rollcall.app.KafkaAccess;
import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.HttpApi;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests in {@code k8s/} against the app they deploy: every manifest and every
 * object of a rendered overlay matches its kind's schema (the upstream CRD, or fabric8's model of
 * a built-in kind), and each rendered overlay keeps the invariants that a wrong edit would break
 * in a cluster.
 */
class K8sManifestsTest {

    private static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();
    /** Namespaces whose pods call the API: Prometheus, Argo Rollouts' controller, Flagger. */
    private static final List<String> CALLERS = List.of("monitoring", "argo-rollouts", "flagger-system");

    @Test
    void everyManifestMatchesItsSchema() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(K8S)) {
            files = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(10);
        Set<Path> patches = Manifests.patchFiles(files);
        List<String> problems = new ArrayList<>();
        int docs = 0;
        for (Path file : files) {
            for (Manifests.Doc doc : Manifests.read(file)) {
                docs++;
                (patches.contains(file) ? Manifests.patchProblems(doc) : Manifests.problems(doc))
                        .forEach(p -> problems.add(K8S.relativize(file) + ": " + p));
            }
        }
        assertThat(docs).isGreaterThan(15);
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachRenderedOverlayKeepsTheInvariantsAndMatchesItsSchemas(String overlay) throws Exception {
        List<Manifests.Doc> rendered = render(overlay);
        List<String> problems = new ArrayList<>(invariants(rendered));
        rendered.forEach(doc -> problems.addAll(Manifests.problems(doc)));
        assertThat(problems).isEmpty();
        assertThat(rendered).allSatisfy(doc -> assertThat(doc.tree().path("metadata").path("namespace").asText())
                .isEqualTo(overlay.equals("dev") ? "rollcall-dev" : "kafka"));
    }

    @Test
    void theChecksCatchRealMistakes() throws Exception {
        List<Manifests.Doc> base = render("prod");
        assertThat(invariants(base)).isEmpty();

        assertThat(invariants(edit(base, "StatefulSet", t -> ((ObjectNode) t.path("spec")).put("replicas", 13))))
                .anyMatch(p -> p.contains("replicas 13 > 12 partitions"));
        assertThat(invariants(edit(base, "StatefulSet", t -> ((ObjectNode) container(t).path("livenessProbe")
                .path("httpGet")).put("path", "/healthz")))).anyMatch(p -> p.contains("liveness"));
        assertThat(invariants(edit(base, "StatefulSet", t -> env(t, "ROLLCALL_HTTP_ADVERTISED_HOST")
                .put("value", "$(POD_NAME).rollcall.$(POD_NAMESPACE).svc.cluster.local"))))
                .anyMatch(p -> p.contains("interactive-query address"));
        assertThat(invariants(edit(base, "StatefulSet", t -> env(t, "ROLLCALL_WINDOW_SIZES").put("value", "1m"))))
                .anyMatch(p -> p.contains("ROLLCALL_WINDOW_SIZES"));
        assertThat(invariants(edit(base, "StatefulSet", t -> env(t, "KAFKA_SASL_JAAS_CONFG").put("value", "x"))))
                .anyMatch(p -> p.contains("KAFKA_SASL_JAAS_CONFG"));
        assertThat(invariants(edit(base, "KafkaTopic", t -> {
            if (t.path("spec").path("topicName").asText().equals("metric-aggregates")) {
                ((ObjectNode) t.path("spec").path("config")).put("cleanup.policy", "delete");
            }
        }))).anyMatch(p -> p.contains("metric-aggregates"));
        assertThat(invariants(edit(base, "ScaledObject", t -> ((ObjectNode) t.path("spec")).put("maxReplicaCount", 24))))
                .anyMatch(p -> p.contains("maxReplicaCount"));
        assertThat(invariants(edit(base, "KafkaUser", t -> ((ArrayNode) t.path("spec").path("authorization").path("acls"))
                .remove(7)))).anyMatch(p -> p.contains("lacks ACLs") && p.contains("transactionalid rollcall- prefix write"));
        assertThat(invariants(edit(base, "KafkaUser", t -> ((ArrayNode) t.path("spec").path("authorization").path("acls")
                .path(0).path("operations")).add("Write")))).anyMatch(p -> p.contains("does not need")
                && p.contains("topic metric-events literal write"));
        assertThat(invariants(edit(base, "StatefulSet", t -> ((ObjectNode) t.path("spec").path("template").path("spec"))
                .remove("enableServiceLinks")))).anyMatch(p -> p.contains("enableServiceLinks"));
        assertThat(invariants(edit(base, "StatefulSet", t -> ((ObjectNode) t.path("spec")).put("replicas", 3))))
                .anyMatch(p -> p.contains("undo KEDA"));
        assertThat(invariants(edit(base, "ServiceMonitor", t -> ((ObjectNode) t.path("spec").path("selector")
                .path("matchLabels")).remove("app.kubernetes.io/component")))).anyMatch(p -> p.contains("scraped once"));
        assertThat(invariants(edit(base, "NetworkPolicy", t -> ((ArrayNode) t.path("spec").path("ingress").path(0)
                .path("from")).remove(3)))).anyMatch(p -> p.contains("flagger-system"));
        assertThat(invariants(edit(base, "Service", t -> {
            if (t.path("metadata").path("name").asText().equals("rollcall-headless")) {
                ((ObjectNode) t.path("spec")).put("clusterIP", "10.0.0.1");
            }
        }))).anyMatch(p -> p.contains("headless"));
    }

    // ---------------------------------------------------------------- invariants

    /** Every problem found in one rendered set of resources; empty when all is well. */
    static List<String> invariants(List<Manifests.Doc> docs) {
        List<String> problems = new ArrayList<>();
        Manifests.Doc sts = only(docs, "StatefulSet", problems);
        if (sts == null) {
            return problems;
        }
        JsonNode pod = Manifests.at(sts.tree(), "spec", "template");
        JsonNode podLabels = pod.path("metadata").path("labels");
        JsonNode container = container(sts.tree());
        Map<String, JsonNode> env = new LinkedHashMap<>();
        List<String> envOrder = new ArrayList<>();
        for (JsonNode var : container.path("env")) {
            env.put(var.path("name").asText(), var);
            envOrder.add(var.path("name").asText());
        }

        // The app's configuration as the pod will load it: the mounted file, then the environment.
        RollcallConfig config = appConfig(docs, pod, container, env, problems);
        if (config == null) {
            return problems;
        }

        // Every variable names a setting the app knows; $(VAR) references point to earlier variables.
        Set<String> kafkaNames = new HashSet<>();
        kafkaNames.addAll(StreamsConfig.configDef().names());
        kafkaNames.addAll(ProducerConfig.configNames());
        kafkaNames.addAll(ConsumerConfig.configNames());
        kafkaNames.addAll(AdminClientConfig.configNames());
        for (String name : envOrder) {
            if (RollcallConfig.NOT_SETTINGS.contains(name)) {
                continue;
            }
            Map<String, String> mapped = RollcallConfig.fromEnvironment(Map.of(name, "x"));
            if (name.startsWith("ROLLCALL_") && !RollcallConfig.DEFAULTS.containsKey(mapped.keySet().iterator().next())) {
                problems.add("env " + name + " is no rollcall setting");
            }
            if (name.startsWith("KAFKA_") && !kafkaNames.contains(mapped.keySet().iterator().next())) {
                problems.add("env " + name + " is no Kafka client or Streams setting");
            }
            Matcher ref = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(env.get(name).path("value").asText());
            while (ref.find()) {
                if (envOrder.indexOf(ref.group(1)) < 0 || envOrder.indexOf(ref.group(1)) > envOrder.indexOf(name)) {
                    problems.add("env " + name + " refers to $(" + ref.group(1) + "), not defined before it");
                }
            }
        }
        for (String required : List.of("KAFKA_BOOTSTRAP_SERVERS", "ROLLCALL_CONFIG", "ROLLCALL_HTTP_ADVERTISED_HOST",
                "ROLLCALL_API_TOKEN")) {
            if (!env.containsKey(required)) {
                problems.add("env " + required + " is missing");
            }
        }
        if (env.containsKey("ROLLCALL_API_TOKEN") && env.get("ROLLCALL_API_TOKEN").path("valueFrom").path("secretKeyRef").isMissingNode()) {
            problems.add("ROLLCALL_API_TOKEN must come from a Secret");
        }
        env.forEach((name, var) -> {
            if (RollcallConfig.isSecret(name.replace('_', '.')) && var.has("value")) {
                problems.add("env " + name + " holds a secret in plain text");
            }
        });
        secretsResolve(docs, pod, container, problems);

        // Ports and probes match the app's.
        Optional<JsonNode> http = stream(container.path("ports")).filter(p -> p.path("name").asText().equals("http")).findFirst();
        if (http.isEmpty() || http.get().path("containerPort").asInt() != config.httpPort()) {
            problems.add("container port 'http' must be " + config.httpPort() + " (rollcall.http.port)");
        }
        probe(container, "livenessProbe", HttpApi.LIVE_PATH, problems);
        probe(container, "startupProbe", HttpApi.LIVE_PATH, problems);
        probe(container, "readinessProbe", HttpApi.READY_PATH, problems);

        // The interactive-query address is the pod's DNS name on the headless Service.
        String serviceName = sts.tree().path("spec").path("serviceName").asText();
        String expected = "$(POD_NAME)." + serviceName + ".$(POD_NAMESPACE).svc.cluster.local";
        if (!env.containsKey("ROLLCALL_HTTP_ADVERTISED_HOST")
                || !env.get("ROLLCALL_HTTP_ADVERTISED_HOST").path("value").asText().equals(expected)) {
            problems.add("interactive-query address (ROLLCALL_HTTP_ADVERTISED_HOST) must be " + expected);
        }
        Manifests.Doc headless = named(docs, "Service", serviceName);
        if (headless == null || !headless.tree().path("spec").path("clusterIP").asText().equals("None")) {
            problems.add("Service " + serviceName + " (the StatefulSet's serviceName) must exist and be headless");
        } else {
            service(headless, podLabels, config.httpPort(), problems);
            if (!headless.tree().path("spec").path("publishNotReadyAddresses").asBoolean()) {
                problems.add("headless Service must publish not-ready addresses (forwards to restoring pods)");
            }
        }
        List<Manifests.Doc> clients = docs.stream().filter(d -> d.kind().equals("Service") && d != headless).toList();
        if (clients.size() != 1) {
            problems.add("exactly one client Service expected, found " + clients.size());
        } else {
            service(clients.get(0), podLabels, config.httpPort(), problems);
        }

        // State on the volume claim; /tmp writable under a read-only root file system.
        JsonNode security = container.path("securityContext");
        if (!security.path("readOnlyRootFilesystem").asBoolean() || security.path("allowPrivilegeEscalation").asBoolean(true)
                || !pod.path("spec").path("securityContext").path("runAsNonRoot").asBoolean()) {
            problems.add("pod must run as non-root with a read-only root file system and no privilege escalation");
        }
        String claim = Manifests.at(sts.tree(), "spec", "volumeClaimTemplates").path(0).path("metadata").path("name").asText();
        if (!mountedFrom(container, config.stateDir().toString(), claim)) {
            problems.add("rollcall.state.dir " + config.stateDir() + " must be on the volume claim '" + claim + "'");
        }
        String tmpVolume = mountName(container, "/tmp");
        if (tmpVolume == null || stream(pod.path("spec").path("volumes"))
                .noneMatch(v -> v.path("name").asText().equals(tmpVolume) && v.has("emptyDir"))) {
            problems.add("/tmp must be an emptyDir (RocksDB unpacks its library there)");
        }
        if (config.kafka().getOrDefault("num.standby.replicas", "0").equals("0")) {
            problems.add("num.standby.replicas must be at least 1");
        }

        // Disruptions, network, monitoring and Argo all point at these pods and this port.
        Manifests.Doc pdb = only(docs, "PodDisruptionBudget", problems);
        if (pdb != null && !selects(pdb.tree().path("spec").path("selector").path("matchLabels"), podLabels)) {
            problems.add("PodDisruptionBudget does not select the rollcall pods");
        }
        Manifests.Doc policy = only(docs, "NetworkPolicy", problems);
        if (policy != null && (!selects(policy.tree().path("spec").path("podSelector").path("matchLabels"), podLabels)
                || stream(policy.tree().path("spec").path("ingress")).flatMap(i -> stream(i.path("ports")))
                .noneMatch(p -> p.path("port").asInt() == config.httpPort()))) {
            problems.add("NetworkPolicy must select the pods and admit port " + config.httpPort());
        }
        Manifests.Doc monitor = only(docs, "ServiceMonitor", problems);
        if (monitor != null) {
            JsonNode endpoint = monitor.tree().path("spec").path("endpoints").path(0);
            boolean portKnown = docs.stream().filter(d -> d.kind().equals("Service")
                            && selects(monitor.tree().path("spec").path("selector").path("matchLabels"),
                            d.tree().path("metadata").path("labels")))
                    .flatMap(d -> stream(d.tree().path("spec").path("ports")))
                    .anyMatch(p -> p.path("name").asText().equals(endpoint.path("port").asText()));
            if (!portKnown || !endpoint.path("path").asText().equals(HttpApi.METRICS_PATH)) {
                problems.add("ServiceMonitor must scrape " + HttpApi.METRICS_PATH + " on a named port of a rollcall Service");
            }
            List<String> scraped = docs.stream().filter(d -> d.kind().equals("Service")
                    && selects(monitor.tree().path("spec").path("selector").path("matchLabels"),
                    d.tree().path("metadata").path("labels"))).map(Manifests.Doc::name).toList();
            if (!scraped.equals(List.of(serviceName))) {
                problems.add("ServiceMonitor must select only the headless Service " + serviceName
                        + " (each pod scraped once, restoring ones too), selects " + scraped);
            }
        }
        docs.stream().filter(d -> d.kind().equals("AnalysisTemplate")).forEach(argo -> {
            String url = stream(argo.tree().path("spec").path("args"))
                    .filter(a -> a.path("name").asText().equals("rollcall-url")).map(a -> a.path("value").asText())
                    .findFirst().orElse("");
            String client = clients.isEmpty() ? "?" : clients.get(0).name();
            String namespace = sts.tree().path("metadata").path("namespace").asText("rollcall");
            String web = argo.tree().path("spec").path("metrics").path(0).path("provider").path("web").path("url").asText();
            if (!url.equals("http://" + client + "." + namespace + ".svc.cluster.local:" + config.httpPort())
                    || !web.contains(HttpApi.ROLLOUTS_PATH)) {
                problems.add("AnalysisTemplate must read " + HttpApi.ROLLOUTS_PATH + " from Service " + client + "."
                        + namespace + ":" + config.httpPort() + ", reads " + url + " / " + web);
            }
        });
        // Each pod scraped once; no service links; KEDA alone sets the replicas it scales.
        if (pod.path("spec").path("enableServiceLinks").asBoolean(true)) {
            problems.add("pod must set enableServiceLinks: false (Service variables would read as ROLLCALL_* settings)");
        }
        boolean scaled = docs.stream().anyMatch(d -> d.kind().equals("ScaledObject"));
        if (scaled && sts.tree().path("spec").has("replicas")) {
            problems.add("StatefulSet must not set replicas while a ScaledObject scales it (each apply would undo KEDA)");
        }
        if (!scaled && !sts.tree().path("spec").has("replicas")) {
            problems.add("StatefulSet needs replicas without a ScaledObject");
        }
        Set<String> admitted = new TreeSet<>();
        docs.stream().filter(d -> d.kind().equals("NetworkPolicy")).forEach(d -> stream(d.tree().path("spec")
                .path("ingress")).filter(i -> stream(i.path("ports")).anyMatch(p -> p.path("port").asInt() == config.httpPort()))
                .flatMap(i -> stream(i.path("from")))
                .forEach(from -> admitted.add(from.path("namespaceSelector").path("matchLabels")
                        .path("kubernetes.io/metadata.name").asText())));
        for (String caller : CALLERS) {
            if (!admitted.contains(caller)) {
                problems.add("NetworkPolicy must admit namespace " + caller + " on port " + config.httpPort());
            }
        }

        // Topics: names, partitions and cleanup as the app creates them; replicas <= partitions.
        // Without KafkaTopics (development) the app creates them itself.
        Map<String, JsonNode> topics = new HashMap<>();
        docs.stream().filter(d -> d.kind().equals("KafkaTopic")).forEach(d -> topics.put(
                d.tree().path("spec").path("topicName").asText(d.name()), d.tree().path("spec")));
        Set<String> names = new TreeSet<>(List.of(config.eventsTopic(), config.aggregatesTopic(), config.deadLetterTopic(),
                config.rollouts().specsTopic(), config.rollouts().verdictsTopic()));
        if (topics.isEmpty()) {
            return problems;
        }
        if (!topics.keySet().equals(names)) {
            problems.add("KafkaTopics " + new TreeSet<>(topics.keySet()) + " must be the app's topics " + names);
            return problems;
        }
        int partitions = topics.get(config.eventsTopic()).path("partitions").asInt();
        if (!"delete".equals(topics.get(config.eventsTopic()).path("config").path("cleanup.policy").asText("delete"))) {
            problems.add("topic " + config.eventsTopic() + " must use cleanup.policy delete");
        }
        for (NewTopic planned : Topics.plan(config, partitions, Optional.empty())) {
            JsonNode actual = topics.get(planned.name());
            if (actual.path("partitions").asInt() != planned.numPartitions()) {
                problems.add("topic " + planned.name() + " has " + actual.path("partitions").asInt()
                        + " partitions; the app creates it with " + planned.numPartitions());
            }
            planned.configs().forEach((key, value) -> {
                if (!key.equals(TopicConfig.MAX_MESSAGE_BYTES_CONFIG) && !value.equals(actual.path("config").path(key).asText())) {
                    problems.add("topic " + planned.name() + " must set " + key + "=" + value);
                }
            });
        }
        int replicas = sts.tree().path("spec").path("replicas").asInt(1);
        if (replicas > partitions) {
            problems.add("StatefulSet replicas " + replicas + " > " + partitions + " partitions of " + config.eventsTopic());
        }
        kafkaUser(docs, config, problems);

        // Autoscaling on the group's lag, never beyond the partitions.
        docs.stream().filter(d -> d.kind().equals("ScaledObject")).forEach(keda -> {
            JsonNode spec = keda.tree().path("spec");
            if (spec.path("maxReplicaCount").asInt() > partitions) {
                problems.add("ScaledObject maxReplicaCount " + spec.path("maxReplicaCount").asInt() + " > " + partitions
                        + " partitions");
            }
            if (!spec.path("scaleTargetRef").path("name").asText().equals(sts.name())
                    || !spec.path("scaleTargetRef").path("kind").asText().equals("StatefulSet")) {
                problems.add("ScaledObject must scale StatefulSet " + sts.name());
            }
            for (JsonNode trigger : spec.path("triggers")) {
                if (!trigger.path("metadata").path("consumerGroup").asText().equals(config.applicationId())
                        || !trigger.path("metadata").path("topic").asText().equals(config.eventsTopic())) {
                    problems.add("ScaledObject must watch group " + config.applicationId() + " on " + config.eventsTopic());
                }
                String auth = trigger.path("authenticationRef").path("name").asText();
                if (!auth.isEmpty() && named(docs, "TriggerAuthentication", auth) == null) {
                    problems.add("TriggerAuthentication " + auth + " is missing");
                }
            }
        });

        return problems;
    }

    /** The KafkaUser grants exactly the ACLs the app needs ({@link KafkaAccess}), no fewer and no more. */
    private static void kafkaUser(List<Manifests.Doc> docs, RollcallConfig config, List<String> problems) {
        for (Manifests.Doc user : docs.stream().filter(d -> d.kind().equals("KafkaUser")).toList()) {
            Set<String> granted = new TreeSet<>();
            for (JsonNode acl : user.tree().path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                for (JsonNode operation : acl.path("operations")) {
                    granted.add(acl(resource.path("type").asText(), resource.path("name").asText("kafka-cluster"),
                            resource.path("patternType").asText("literal"), operation.asText(),
                            acl.path("host").asText("*"), acl.path("type").asText("allow")));
                }
            }
            Set<String> required = new TreeSet<>();
            KafkaAccess.required(config, "User:" + user.name()).forEach(b -> required.add(acl(
                    b.pattern().resourceType().name(), b.pattern().name(), b.pattern().patternType().name(),
                    b.entry().operation().name(), b.entry().host(), b.entry().permissionType().name())));
            Set<String> missing = new TreeSet<>(required);
            missing.removeAll(granted);
            Set<String> extra = new TreeSet<>(granted);
            extra.removeAll(required);
            if (!missing.isEmpty()) {
                problems.add("KafkaUser " + user.name() + " lacks ACLs the app needs: " + missing);
            }
            if (!extra.isEmpty()) {
                problems.add("KafkaUser " + user.name() + " grants ACLs the app does not need: " + extra);
            }
        }
    }

    /** One ACL in a form both Strimzi's and Kafka's spellings map to (prefix = PREFIXED, IdempotentWrite = IDEMPOTENT_WRITE). */
    private static String acl(String type, String name, String pattern, String operation, String host, String permission) {
        String normalize = "[_\\s]";
        return (type.replaceAll(normalize, "") + " " + name + " " + pattern.replaceAll("(?i)prefixed", "prefix") + " "
                + operation.replaceAll(normalize, "") + " " + host + " " + permission).toLowerCase(java.util.Locale.ROOT);
    }

    private static RollcallConfig appConfig(List<Manifests.Doc> docs, JsonNode pod, JsonNode container,
                                            Map<String, JsonNode> env, List<String> problems) {
        String file = env.containsKey("ROLLCALL_CONFIG") ? env.get("ROLLCALL_CONFIG").path("value").asText() : "";
        Path path = Path.of(file.isEmpty() ? "/missing" : file);
        String volume = mountName(container, path.getParent().toString());
        String configMap = stream(pod.path("spec").path("volumes")).filter(v -> v.path("name").asText().equals(volume))
                .map(v -> v.path("configMap").path("name").asText()).findFirst().orElse("");
        Manifests.Doc map = named(docs, "ConfigMap", configMap);
        if (map == null || !map.tree().path("data").has(path.getFileName().toString())) {
            problems.add("ROLLCALL_CONFIG " + file + " is not a key of a ConfigMap mounted at " + path.getParent());
            return null;
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(map.tree().path("data").path(path.getFileName().toString()).asText()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k).strip()));
        Map<String, String> plain = new HashMap<>();
        env.forEach((name, var) -> plain.put(name, var.has("value") ? var.path("value").asText()
                : name.equals("ROLLCALL_API_TOKEN") ? "a-token-from-a-secret-0123456789" : "from-a-secret"));
        // As RollcallConfig.load: unknown ROLLCALL_* variables are skipped (and reported above).
        RollcallConfig.fromEnvironment(plain).forEach((key, value) -> {
            if (!key.startsWith(RollcallConfig.PREFIX) || RollcallConfig.DEFAULTS.containsKey(key)) {
                settings.put(key, value);
            }
        });
        try {
            return RollcallConfig.of(settings);
        } catch (RuntimeException e) {
            problems.add("the app would not start with this configuration: " + e.getMessage());
            return null;
        }
    }

    /** Secrets the pod reads exist in the output, or are Strimzi's (CA, KafkaUser) or the documented API-token Secret. */
    private static void secretsResolve(List<Manifests.Doc> docs, JsonNode pod, JsonNode container, List<String> problems) {
        Set<String> known = new HashSet<>(Set.of("rollcall-api-token"));
        docs.stream().filter(d -> d.kind().equals("Secret") || d.kind().equals("KafkaUser")).forEach(d -> known.add(d.name()));
        docs.stream().filter(d -> d.kind().equals("KafkaTopic"))
                .forEach(d -> known.add(d.tree().path("metadata").path("labels").path("strimzi.io/cluster").asText()
                        + "-cluster-ca-cert"));
        List<String> used = new ArrayList<>();
        container.path("env").forEach(v -> {
            if (v.path("valueFrom").has("secretKeyRef")) {
                used.add(v.path("valueFrom").path("secretKeyRef").path("name").asText());
            }
        });
        pod.path("spec").path("volumes").forEach(v -> {
            if (v.has("secret")) {
                used.add(v.path("secret").path("secretName").asText());
            }
        });
        used.stream().filter(name -> !known.contains(name) && named(docs, "Secret", name) == null)
                .forEach(name -> problems.add("Secret " + name + " is neither generated nor Strimzi's"));
    }

    private static void probe(JsonNode container, String probe, String path, List<String> problems) {
        JsonNode get = container.path(probe).path("httpGet");
        if (!get.path("path").asText().equals(path) || !get.path("port").asText().equals("http")) {
            problems.add(probe.replace("Probe", "") + " probe must GET " + path + " on port http");
        }
    }

    private static void service(Manifests.Doc service, JsonNode podLabels, int port, List<String> problems) {
        JsonNode spec = service.tree().path("spec");
        if (!selects(spec.path("selector"), podLabels)) {
            problems.add("Service " + service.name() + " does not select the rollcall pods");
        }
        if (stream(spec.path("ports")).noneMatch(p -> p.path("targetPort").asText().equals("http")
                || p.path("targetPort").asInt() == port)) {
            problems.add("Service " + service.name() + " must target port http");
        }
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        List<String> keys = new ArrayList<>();
        selector.fieldNames().forEachRemaining(keys::add);
        return keys.stream().allMatch(k -> selector.path(k).asText().equals(labels.path(k).asText()));
    }

    private static boolean mountedFrom(JsonNode container, String path, String volume) {
        return stream(container.path("volumeMounts")).anyMatch(m -> m.path("name").asText().equals(volume)
                && (path + "/").startsWith(m.path("mountPath").asText().replaceAll("/?$", "/")));
    }

    private static String mountName(JsonNode container, String path) {
        return stream(container.path("volumeMounts")).filter(m -> m.path("mountPath").asText().equals(path))
                .map(m -> m.path("name").asText()).findFirst().orElse(null);
    }

    static JsonNode container(JsonNode statefulSet) {
        return stream(Manifests.at(statefulSet, "spec", "template", "spec", "containers"))
                .filter(c -> c.path("name").asText().equals("rollcall")).findFirst().orElse(Manifests.object());
    }

    private static Manifests.Doc only(List<Manifests.Doc> docs, String kind, List<String> problems) {
        List<Manifests.Doc> found = docs.stream().filter(d -> d.kind().equals(kind)).toList();
        if (found.size() != 1) {
            problems.add("exactly one " + kind + " expected, found " + found.size());
            return null;
        }
        return found.get(0);
    }

    private static Manifests.Doc named(List<Manifests.Doc> docs, String kind, String name) {
        return docs.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst().orElse(null);
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    // ---------------------------------------------------------------- helpers

    /** An overlay as {@code kubectl kustomize} renders it; the test is skipped without kubectl. */
    static List<Manifests.Doc> render(String overlay) throws IOException, InterruptedException {
        Path kubectl = Manifests.kubectl();
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed: overlays are rendered with kubectl kustomize");
        return Manifests.parse(overlay, Manifests.kustomize(kubectl, K8S.resolve("overlays/" + overlay)));
    }

    /** A copy of the documents with {@code change} applied to every one of {@code kind}. */
    private static List<Manifests.Doc> edit(List<Manifests.Doc> docs, String kind,
                                            java.util.function.Consumer<JsonNode> change) throws IOException {
        List<Manifests.Doc> out = new ArrayList<>();
        for (Manifests.Doc doc : docs) {
            JsonNode copy = doc.tree().deepCopy();
            if (doc.kind().equals(kind)) {
                change.accept(copy);
            }
            out.addAll(Manifests.parse(doc.source(), copy.toString()));
        }
        return out;
    }

    /** The env entry {@code name} of the rollcall container, added when missing. */
    private static ObjectNode env(JsonNode statefulSet, String name) {
        ArrayNode env = (ArrayNode) container(statefulSet).path("env");
        for (JsonNode var : env) {
            if (var.path("name").asText().equals(name)) {
                ((ObjectNode) var).remove("valueFrom");
                return (ObjectNode) var;
            }
        }
        ObjectNode added = env.addObject();
        added.set("name", TextNode.valueOf(name));
        return added;
    }
}
