package io.rollcall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.embedded.EmbeddedKafka;
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
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code rollcall query} and {@code rollcall rollout start|status|watch|abort} against a running
 * app on a real broker: readable tables, {@code --json}, exit codes a script can use, and one
 * line naming the problem and the fix when something is wrong.
 */
class CliClientsIT {

    private static final String TOKEN = "cli-token-0123456789abcdef";

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

    @Test
    void queriesAndRolloutsFromTheCommandLine() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String prefix = "cli";
            RollcallConfig config = RollcallConfig.of(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "rollcall.application.id", prefix, "rollcall.http.port", "0",
                    "rollcall.state.dir", Files.createTempDirectory("rollcall-cli").toString(),
                    "rollcall.api.token", TOKEN, "rollcall.rollout.grace", "500ms", "commit.interval.ms", "100"));
            try (Admin admin = Admin.create(config.kafkaProperties())) {
                io.rollcall.app.Topics.create(admin, List.of(new NewTopic(config.eventsTopic(), 3, (short) 1)));
            }
            long id = -1L; // 18446744073709551615
            try (RollcallApp app = RollcallApp.start(config)) {
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
                String url = "http://127.0.0.1:" + app.httpPort();
                AvroSerde<MetricEvent> events = AvroSerde.metricEvent();
                try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
                    for (int i = 1; i <= 10; i++) {
                        producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(id).toBytes(),
                                events.serialize(MetricEvent.newBuilder().setId(id).setName("api.latency")
                                        .setTimestamp(Instant.now()).setType(MetricType.TIMER).setValue(i)
                                        .setStatus(i == 10 ? 503 : 200).setLabels(Map.of()).build())));
                    }
                }

                // query ID: a table, and --json the API's answer.
                Run table = awaitFound(url, "18446744073709551615");
                assertThat(table.out()).contains("api.latency").containsPattern("count\\s+10")
                        .containsPattern("errors\\s+1 \\(10.00 %\\)").contains("served by");
                Run json = cli("query", "18446744073709551615", "--json", "--url", url);
                JsonNode answer = new ObjectMapper().readTree(json.out());
                assertThat(answer.get("count").asLong()).isEqualTo(10);
                assertThat(answer.get("id").asText()).isEqualTo("18446744073709551615");
                Run windows = cli("query", "18446744073709551615", "--windows", "--from", "2h", "--url", url);
                assertThat(windows.code()).isZero();
                assertThat(windows.out()).startsWith("WINDOW START").containsPattern("\\s10\\s");
                Run scan = cli("query", "--limit", "5", "--url", url);
                assertThat(scan.out()).startsWith("ID").contains("18446744073709551615");

                // Errors: one line on stderr with the problem and the fix, and a script-friendly code.
                Run unknown = cli("query", "7", "--url", url);
                assertThat(unknown.code()).isEqualTo(4);
                assertThat(unknown.err()).startsWith("rollcall: series 7: 404");
                Run bad = cli("query", "-5", "--url", url);
                assertThat(bad.code()).isEqualTo(1);
                assertThat(bad.err()).contains("400");
                Run down = cli("query", "1", "--url", "http://127.0.0.1:1");
                assertThat(down.code()).isEqualTo(1);
                assertThat(down.err()).contains("cannot reach rollcall").contains("ROLLCALL_URL").doesNotContain("Exception");
                Run noToken = cli("rollout", "start", "search", "--baseline", "v1", "--canary", "v2",
                        "--slo", "errors<=1%", "--url", url, "--token", "");
                assertThat(noToken.code()).isEqualTo(2);
                assertThat(noToken.err()).contains("--token").contains("ROLLCALL_API_TOKEN");
                Run wrongToken = cli("rollout", "start", "search", "--baseline", "v1", "--canary", "v2",
                        "--slo", "errors<=1%", "--url", url, "--token", "not-the-token-0000000");
                assertThat(wrongToken.err()).contains("403");
                Run badSlo = cli("rollout", "start", "search", "--baseline", "v1", "--canary", "v2",
                        "--slo", "p95 below 3", "--url", url, "--token", TOKEN);
                assertThat(badSlo.err()).contains("p95<=300ms");

                // A rollout from start to rollback: start, status, watch (exit 3 at ROLLBACK), abort.
                try (io.rollcall.it.CanaryTraffic traffic = new io.rollcall.it.CanaryTraffic(config, "search")) {
                    Run start = cli("rollout", "start", "search", "--rollout-id", "search-9", "--baseline", "v1",
                            "--canary", "v2", "--window", "2s", "--min-samples", "40", "--failure-limit", "1",
                            "--success-windows", "50", "--slo", "p95<=500ms+50%", "--slo", "errors<=1%",
                            "--url", url, "--token", TOKEN);
                    assertThat(start.code()).as(start.err()).isZero();
                    assertThat(start.out()).contains("rollout search-9 of search accepted").contains("rollout watch search");
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        Run status = cli("rollout", "status", "search", "--url", url);
                        assertThat(status.out()).contains("search-9").contains("RUNNING").contains("CONTINUE")
                                .contains("p95 <= 500 ms").contains("error rate <= 1 %");
                    });
                    traffic.canaryErrorRate.set(0.4);
                    Run watch = cli("rollout", "watch", "search", "--timeout", "60s", "--url", url);
                    assertThat(watch.code()).as(watch.out() + watch.err()).isEqualTo(3);
                    assertThat(watch.out()).contains("watching search, rollout search-9").contains("ROLLBACK")
                            .contains("canary error rate");
                    Run after = cli("rollout", "status", "search", "--json", "--url", url);
                    assertThat(new ObjectMapper().readTree(after.out()).get("status").asText()).isEqualTo("ROLLED_BACK");
                    Run abort = cli("rollout", "abort", "search", "--url", url, "--token", TOKEN);
                    assertThat(abort.code()).isZero();
                    assertThat(abort.out()).contains("removed");
                }
            }
        }
    }

    private static Run awaitFound(String url, String id) {
        AtomicReference<Run> last = new AtomicReference<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            Run run = cli("query", id, "--url", url);
            last.set(run);
            return run.code() == 0 && run.out().matches("(?s).*count\\s+10\\b.*");
        });
        return last.get();
    }
}
