package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.SeriesId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Grafana dashboard and the alert rules in {@code k8s/components/monitoring} against the
 * metrics a live app exposes: every query parses and type-checks (promtool), and reads only
 * metrics and labels that {@code /metrics} shows after a workload that makes every kind of
 * series appear (events, a dead letter, reads, two rollouts: one with traffic, one without).
 * So neither can drift from the code. Each alert also has its runbook entry in the docs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringIT {

    private static final Path COMPONENT = Path.of("..", "k8s", "components", "monitoring").toAbsolutePath().normalize();
    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md").toAbsolutePath().normalize();
    private static final String TOKEN = "monitoring-it-token-0123456789";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Labels Prometheus adds to every series it scrapes through the ServiceMonitor. */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "service", "instance", "job",
            "container", "endpoint");

    private RollcallApp app;
    /** Metric name (as sampled: with _total, _bucket, …) → the label names it has. */
    private final Map<String, Set<String>> exposed = new HashMap<>();

    @BeforeAll
    void scrapeALiveAppAfterAWorkload() throws Exception {
        RollcallConfig config = Fixtures.rolloutConfig("monitoring", TOKEN);
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        Api api = Api.of(app, TOKEN);
        String spec = """
                {"rolloutId": "%s", "baselineRevision": "v1", "canaryRevision": "v2", "analysisWindow": "2s",
                 "minSamples": 20, "failureLimit": 3, "successWindows": 1000,
                 "slos": [{"kind": "ERROR_RATE", "threshold": 0.05}]}""";
        assertThat(api.put("/api/v1/rollouts/cart", spec.formatted("cart-1")).statusCode()).isEqualTo(202);
        assertThat(api.put("/api/v1/rollouts/quiet", spec.formatted("quiet-1")).statusCode()).isEqualTo(202);
        GroundTruth truth = GroundTruth.produce(config, 2_000, 50, 3);
        try (KafkaProducer<byte[], byte[]> producer = io.rollcall.load.LoadGenerator.producer(config.kafkaProperties())) {
            producer.send(new ProducerRecord<>(config.eventsTopic(), new byte[3], new byte[] {1})).get();
        }
        try (CanaryTraffic traffic = new CanaryTraffic(config, "cart")) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Fixtures.verdicts(config).stream().map(v -> v.getService()).distinct().count() == 2);
        }
        Fixtures.awaitCommitted(config, 2_001, Duration.ofMinutes(1));
        api.get("/api/v1/metrics/" + SeriesId.of(truth.byId().keySet().iterator().next()));
        api.get("/api/v1/metrics/" + SeriesId.of(42));

        for (PrometheusText.Sample sample : PrometheusText.scrape(api).samples()) {
            exposed.computeIfAbsent(sample.name(), name -> new TreeSet<>()).addAll(sample.labels().keySet());
        }
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyAlertRuleParsesAndTypeChecks() throws IOException {
        assertThat(PromQl.promtoolProblems(YAML.writeValueAsString(rules().get("spec")))).isEmpty();
    }

    @Test
    void everyDashboardQueryParsesAndTypeChecks() throws IOException {
        assertThat(PromQl.promtoolProblems(PromQl.asRecordingRules(dashboardQueries()))).isEmpty();
    }

    @Test
    void everyAlertReadsOnlyMetricsAndLabelsTheAppExposes() throws IOException {
        assertThat(unknownReads(alertExpressions())).isEmpty();
    }

    @Test
    void everyDashboardQueryReadsOnlyMetricsAndLabelsTheAppExposes() throws IOException {
        assertThat(unknownReads(dashboardQueries())).isEmpty();
    }

    @Test
    void everyAlertHasARunbookEntryInTheDocs() throws IOException {
        String docs = Files.readString(OPERATIONS);
        List<String> alerts = new ArrayList<>();
        rules().at("/spec/groups").forEach(group -> group.get("rules").forEach(rule -> alerts.add(rule.get("alert").asText())));

        assertThat(alerts).hasSize(7).allSatisfy(alert -> assertThat(docs).contains("| `" + alert + "` |"));
    }

    @Test
    void theDashboardIsAConfigMapGrafanasSidecarLoads() throws IOException {
        JsonNode kustomization = YAML.readTree(COMPONENT.resolve("kustomization.yaml").toFile());
        JsonNode generator = kustomization.at("/configMapGenerator/0");

        assertThat(generator.at("/options/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(generator.get("files").get(0).asText()).isEqualTo("rollcall-dashboard.json");
    }

    /** Every metric or label an expression reads that the app does not expose, as "expr: what". */
    private List<String> unknownReads(List<String> exprs) {
        List<String> unknown = new ArrayList<>();
        for (PromQl.Reads reads : PromQl.reads(exprs)) {
            if (reads.error() != null) {
                unknown.add(reads.expr() + ": does not parse at " + reads.error());
                continue;
            }
            Set<String> available = new HashSet<>(TARGET_LABELS);
            for (PromQl.Selector selector : reads.selectors()) {
                Set<String> labels = exposed.get(selector.metric());
                if (labels == null) {
                    unknown.add(reads.expr() + ": metric " + selector.metric());
                    continue;
                }
                available.addAll(labels);
                selector.labels().stream().filter(label -> !labels.contains(label) && !TARGET_LABELS.contains(label))
                        .forEach(label -> unknown.add(reads.expr() + ": label " + label + " of " + selector.metric()));
            }
            reads.grouping().stream().filter(label -> !available.contains(label))
                    .forEach(label -> unknown.add(reads.expr() + ": grouping label " + label));
        }
        return unknown;
    }

    private static JsonNode rules() throws IOException {
        return YAML.readTree(COMPONENT.resolve("prometheusrule.yaml").toFile());
    }

    private static List<String> alertExpressions() throws IOException {
        List<String> exprs = new ArrayList<>();
        rules().at("/spec/groups").forEach(group -> group.get("rules").forEach(rule -> exprs.add(rule.get("expr").asText())));
        return exprs;
    }

    /** Every panel's queries and every query variable's metric, Grafana variables replaced. */
    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(COMPONENT.resolve("rollcall-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> exprs.add(PromQl.withoutGrafanaVariables(target.get("expr").asText()))));
        Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*[a-zA-Z_]+\\)");
        dashboard.at("/templating/list").forEach(variable -> {
            Matcher matcher = labelValues.matcher(variable.path("query").asText());
            if (matcher.matches()) {
                exprs.add(matcher.group(1));
            }
        });
        assertThat(exprs).hasSizeGreaterThan(15);
        return exprs;
    }
}
