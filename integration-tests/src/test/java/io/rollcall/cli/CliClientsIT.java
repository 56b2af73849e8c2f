package io.rollcall.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.it.CanaryTraffic;
import io.rollcall.it.KafkaCluster;
import io.rollcall.load.LoadGenerator;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * {@code rollcall query} and {@code rollcall rollout start|status|watch|abort} against a running
 * app on a real broker: readable tables, {@code --json}, exit codes a script can use, and one
 * line naming the problem and the fix when something is wrong. One app serves every method.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliClientsIT {

    private static final String TOKEN = "cli-token-0123456789abcdef";
    private static final String TOP_ID = "18446744073709551615";

    /** One CLI run: exit code, standard output and standard error. */
    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Rollcall.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private RollcallConfig config;
    private RollcallApp app;
    private String url;

    @BeforeAll
    void startAppWithTenEventsOfOneSeries() throws Exception {
        String id = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        config = RollcallConfig.of(Map.ofEntries(Map.entry("bootstrap.servers", KafkaCluster.get().bootstrapServers()),
                Map.entry("rollcall.application.id", id), Map.entry("rollcall.topic.events", id + "-events"),
                Map.entry("rollcall.topic.aggregates", id + "-aggregates"), Map.entry("rollcall.topic.dead-letter", id + "-dlq"),
                Map.entry("rollcall.topic.rollouts", id + "-rollouts"), Map.entry("rollcall.topic.verdicts", id + "-verdicts"),
                Map.entry("rollcall.http.port", "0"),
                Map.entry("rollcall.state.dir", Files.createTempDirectory("rollcall-cli").toString()),
                Map.entry("rollcall.api.token", TOKEN), Map.entry("rollcall.rollout.grace", "500ms"),
                Map.entry("commit.interval.ms", "100")));
        KafkaCluster.get().createTopics(List.of(KafkaCluster.topic(config.eventsTopic(), 3)));
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        url = "http://127.0.0.1:" + app.httpPort();
        AvroSerde<MetricEvent> events = AvroSerde.metricEvent();
        long series = Long.parseUnsignedLong(TOP_ID);
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            for (int i = 1; i <= 10; i++) {
                producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(series).toBytes(),
                        events.serialize(MetricEvent.newBuilder().setId(series).setName("api.latency")
                                .setTimestamp(Instant.now()).setType(MetricType.TIMER).setValue(i)
                                .setStatus(i == 10 ? 503 : 200).setLabels(Map.of()).build())));
            }
        }
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void queryPrintsATableWithCountErrorsAndTheServingInstance() {
        Run table = awaitFound(TOP_ID);
        assertThat(table.out()).contains("api.latency").containsPattern("count\\s+10")
                .containsPattern("errors\\s+1 \\(10.00 %\\)").contains("served by");
    }

    @Test
    void queryJsonPrintsTheApiAnswer() throws Exception {
        awaitFound(TOP_ID);
        JsonNode answer = new ObjectMapper().readTree(cli("query", TOP_ID, "--json", "--url", url).out());
        assertThat(answer.get("count").asLong()).isEqualTo(10);
        assertThat(answer.get("id").asText()).isEqualTo(TOP_ID);
    }

    @Test
    void queryWindowsPrintsAWindowTable() {
        awaitFound(TOP_ID);
        Run windows = cli("query", TOP_ID, "--windows", "--from", "2h", "--url", url);
        assertThat(windows.code()).isZero();
        assertThat(windows.out()).startsWith("WINDOW START").containsPattern("\\s10\\s");
    }

    @Test
    void queryWithoutAnIdScansTheSeries() {
        awaitFound(TOP_ID);
        Run scan = cli("query", "--limit", "5", "--url", url);
        assertThat(scan.out()).startsWith("ID").contains(TOP_ID);
    }

    @Test
    void anUnknownSeriesExitsWith4AndSays404() {
        Run unknown = cli("query", "7", "--url", url);
        assertThat(unknown.code()).isEqualTo(4);
        assertThat(unknown.err()).startsWith("rollcall: series 7: 404");
    }

    @Test
    void aMalformedIdExitsWith1AndSays400() {
        Run bad = cli("query", "-5", "--url", url);
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("400");
    }

    @Test
    void anUnreachableServerExitsWith1AndNamesTheSettingToFix() {
        Run down = cli("query", "1", "--url", "http://127.0.0.1:1");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach rollcall").contains("ROLLCALL_URL").doesNotContain("Exception");
    }

    @Test
    void aWriteWithoutATokenExitsWith2AndNamesTheOptionAndVariable() {
        Run noToken = startSearch("errors<=1%", "");
        assertThat(noToken.code()).isEqualTo(2);
        assertThat(noToken.err()).contains("--token").contains("ROLLCALL_API_TOKEN");
    }

    @Test
    void aWrongTokenIsReportedAs403() {
        assertThat(startSearch("errors<=1%", "not-the-token-0000000").err()).contains("403");
    }

    @Test
    void aMalformedSloIsAnsweredWithTheExpectedForm() {
        assertThat(startSearch("p95 below 3", TOKEN).err()).contains("p95<=300ms");
    }

    @Test
    void startWithoutAnIdPrintsTheIdTheServerCreated() {
        Run start = cli("rollout", "start", "catalog", "--baseline", "v1", "--canary", "v2", "--slo", "p95<=+10%",
                "--url", url, "--token", TOKEN);
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(start.out()).containsPattern("rollout catalog-\\d+ of catalog accepted");
    }

    private Run startSearch(String slo, String token) {
        return cli("rollout", "start", "search", "--baseline", "v1", "--canary", "v2", "--slo", slo,
                "--url", url, "--token", token);
    }

    /** A rollout from start to rollback: start, status, watch (exit 3 at ROLLBACK), status, abort. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RolloutFromStartToRollback {

        private Run start;
        private Run status;
        private Run watch;
        private Run after;
        private Run abort;

        @BeforeAll
        void startWatchAndAbort() throws Exception {
            try (CanaryTraffic traffic = new CanaryTraffic(config, "search")) {
                start = cli("rollout", "start", "search", "--rollout-id", "search-9", "--baseline", "v1",
                        "--canary", "v2", "--window", "2s", "--min-samples", "40", "--failure-limit", "1",
                        "--success-windows", "50", "--slo", "p95<=500ms+50%", "--slo", "errors<=1%",
                        "--url", url, "--token", TOKEN);
                AtomicReference<Run> last = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    last.set(cli("rollout", "status", "search", "--url", url));
                    return last.get().out().contains("CONTINUE");
                });
                status = last.get();
                traffic.canaryErrorRate.set(0.4);
                watch = cli("rollout", "watch", "search", "--timeout", "60s", "--url", url);
                after = cli("rollout", "status", "search", "--json", "--url", url);
                abort = cli("rollout", "abort", "search", "--url", url, "--token", TOKEN);
            }
        }

        @Test
        void startSaysTheRolloutWasAcceptedAndHowToWatchIt() {
            assertThat(start.code()).as(start.err()).isZero();
            assertThat(start.out()).contains("rollout search-9 of search accepted").contains("rollout watch search");
        }

        @Test
        void statusShowsTheRolloutItsVerdictAndItsSlos() {
            assertThat(status.out()).contains("search-9").contains("RUNNING").contains("CONTINUE")
                    .contains("p95 <= 500 ms").contains("error rate <= 1 %");
        }

        @Test
        void watchExitsWith3AtTheRollbackAndSaysWhy() {
            assertThat(watch.code()).as(watch.out() + watch.err()).isEqualTo(3);
            assertThat(watch.out()).contains("watching search, rollout search-9").contains("ROLLBACK")
                    .contains("canary error rate");
        }

        @Test
        void statusJsonSaysRolledBackAfterwards() throws Exception {
            assertThat(new ObjectMapper().readTree(after.out()).get("status").asText()).isEqualTo("ROLLED_BACK");
        }

        @Test
        void abortRemovesTheRollout() {
            assertThat(abort.code()).isZero();
            assertThat(abort.out()).contains("removed");
        }
    }

    private Run awaitFound(String id) {
        AtomicReference<Run> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Run run = cli("query", id, "--url", url);
            last.set(run);
            return run.code() == 0 && run.out().matches("(?s).*count\\s+10\\b.*");
        });
        return last.get();
    }
}
