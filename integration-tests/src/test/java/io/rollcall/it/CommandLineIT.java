package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The packaged jars ({@code rollcall.jar}, {@code rollcall-tools.jar}), run as a user runs them: a separate JVM. */
class CommandLineIT {

    private static final Path JAR = Path.of("..", "topology", "target", "rollcall.jar").toAbsolutePath().normalize();
    /** The tools jar: the serving commands plus demo, bench and produce. */
    private static final Path TOOLS_JAR = Path.of("..", "tools", "target", "rollcall-tools.jar").toAbsolutePath().normalize();
    /** A row of the demo's aggregate table: id, metric, revision, count, … */
    private static final Pattern AGGREGATE_ROW =
            Pattern.compile("(?m)^\\s+(\\d{1,20})\\s+\\S+\\s+\\S+-r4[12]\\s+([\\d,]+)\\s");
    /** Where the demo says Kafka's logs go. */
    private static final Pattern KAFKA_LOG_FILE = Pattern.compile("Kafka's logs \\(broker and clients\\) go to (\\S+)");
    /** A console log line, "12:00:00.000 WARN  [thread] o.a.k.c.NetworkClient - …", of Kafka's loggers. */
    private static final Pattern KAFKA_LOG_LINE =
            Pattern.compile("^[\\d:.]+ +[A-Z]+ +\\[.*?\\] (o\\.a\\.k\\.|k\\.|s\\.c\\.logger)");
    /** A console log line at ERROR or above, of any logger. */
    private static final Pattern ERROR_LINE = Pattern.compile("^[\\d:.]+ +(ERROR|FATAL) ");

    /** {@code rollcall demo}: started once, read until it has told both canaries' story, then stopped with SIGTERM. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Demo {

        private Path log;
        private Process demo;

        @BeforeAll
        void runTheDemoUntilBothCanariesAreJudged() throws Exception {
            log = Files.createTempFile("rollcall-demo", ".log");
            demo = new ProcessBuilder(java(), "-Xmx1g", "-jar", TOOLS_JAR.toString(), "demo", "--http-port", "0",
                    "--rate", "2000", "--series", "400")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> AGGREGATE_ROW.matcher(read(log)).find() && read(log).contains("[demo] payments: ")
                            && read(log).contains("[demo] checkout: ") || !demo.isAlive());
        }

        @AfterAll
        void stop() throws IOException {
            demo.destroyForcibly();
            var named = KAFKA_LOG_FILE.matcher(read(log));
            if (named.find()) {
                Files.deleteIfExists(Path.of(named.group(1)));
            }
        }

        @Test
        void printsNoErrorLines() throws Exception {
            assertThat(read(log).lines()).noneMatch(line -> ERROR_LINE.matcher(line).find());
        }

        @Test
        void keepsKafkasOwnLogsOffTheConsole() throws Exception {
            assertThat(read(log).lines()).noneMatch(line -> KAFKA_LOG_LINE.matcher(line).find());
        }

        @Test
        void writesKafkasOwnLogsToTheFileItNames() throws Exception {
            Path kafkaLog = kafkaLog();
            assertThat(kafkaLog).isNotEmptyFile();
            assertThat(Files.readString(kafkaLog)).contains("kafka.server.", "org.apache.kafka.streams.");
        }

        private Path kafkaLog() throws IOException {
            var named = KAFKA_LOG_FILE.matcher(read(log));
            assertThat(named.find()).as("the demo names its Kafka log file in:%n%s", read(log)).isTrue();
            return Path.of(named.group(1));
        }

        @Test
        void startsABrokerAndTheAppInOneProcess() throws Exception {
            assertThat(read(log)).contains("[demo] broker up at", "rollcall RUNNING", "processed", "dead-lettered");
        }

        @Test
        void printsAggregatesReadBackThroughInteractiveQueries() throws Exception {
            String output = read(log);
            assertThat(output).contains("a few aggregates, read back through interactive queries");
            var row = AGGREGATE_ROW.matcher(output);
            assertThat(row.find()).as("an aggregate row in:%n%s", output).isTrue();
            assertThat(Long.parseLong(row.group(2).replace(",", ""))).isPositive();
            assertThat(SeriesId.parse(row.group(1))).isNotNull();
        }

        @Test
        void tellsWhereToLook() throws Exception {
            assertThat(read(log)).contains("[demo] HTTP API: http://localhost:", "[demo] dashboard: http://localhost:",
                    "rollcall rollout watch payments", "expect: checkout CONTINUE");
        }

        @Test
        void tellsThePaymentsCanaryRolledBack() throws Exception {
            assertThat(read(log)).contains("ROLLBACK", "[demo] payments: ", "rolled the canary back");
        }

        @Test
        void tellsTheCheckoutCanaryPromoted() throws Exception {
            assertThat(read(log)).contains("PROMOTE", "[demo] checkout: the canary held every SLO for 3 windows in a row");
        }

        @Test
        @Order(Integer.MAX_VALUE)
        void stopsCleanlyWithinAMinuteOfSigterm() throws Exception {
            demo.destroy(); // SIGTERM, as Ctrl-C or Kubernetes would
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo exits within 60 s of SIGTERM").isTrue();
            assertThat(read(log)).contains("[demo] stopped cleanly");
        }
    }

    @Test
    void produceSendsTheRequestedNumberOfValidEventsToAnyCluster() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("produce");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 3)));

        Process produce = new ProcessBuilder(java(), "-jar", TOOLS_JAR.toString(), "produce",
                "--bootstrap-servers", KafkaCluster.get().bootstrapServers(), "--topic", config.eventsTopic(),
                "--count", "5000", "--rate", "0", "--series", "300")
                .redirectErrorStream(true)
                .start();
        String output = new String(produce.getInputStream().readAllBytes());
        assertThat(produce.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(produce.exitValue()).as(output).isZero();
        assertThat(output).contains("done: 5,000 sent");

        AvroSerde<MetricEvent> serde = AvroSerde.metricEvent();
        List<ConsumerRecord<byte[], byte[]>> records = Fixtures.readAll(config, config.eventsTopic());
        assertThat(records).hasSize(5000);
        List<Long> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            MetricEvent event = serde.deserialize(record.value());
            assertThat(event.getId()).isEqualTo(SeriesId.fromBytes(record.key()).bits());
            ids.add(event.getId());
        }
        assertThat(ids.stream().distinct().count()).isBetween(250L, 300L);
    }

    @Test
    void serveFailsAtStartWithOneMessageNamingTheSettingWhenTheEventsTopicIsMissing() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve").redirectErrorStream(true);
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", KafkaCluster.get().bootstrapServers());
        builder.environment().put("ROLLCALL_TOPIC_EVENTS", "no-such-topic");
        Process serve = builder.start();
        String output = new String(serve.getInputStream().readAllBytes());

        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("configuration error: rollcall.topic.events: topic 'no-such-topic' does not exist")
                .doesNotContain("\tat ", "Exception in thread");
    }

    /** {@code rollcall serve --config FILE} against the shared cluster, fed by {@code rollcall produce}. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Serve {

        private RollcallConfig config;
        private Path log;
        private Process serve;

        @BeforeAll
        void serveAndProduce() throws Exception {
            config = Fixtures.uniqueConfig("serve");
            KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 3)));
            Path file = Files.createTempFile("rollcall", ".properties");
            StringBuilder properties = new StringBuilder();
            config.asMap().forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
            Files.writeString(file, properties);
            log = Files.createTempFile("rollcall-serve", ".log");
            serve = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--config", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Process produce = new ProcessBuilder(java(), "-jar", TOOLS_JAR.toString(), "produce",
                    "--bootstrap-servers", KafkaCluster.get().bootstrapServers(), "--topic", config.eventsTopic(),
                    "--count", "3000", "--rate", "0", "--series", "100").redirectErrorStream(true).start();
            produce.getInputStream().readAllBytes();
            assertThat(produce.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        @AfterAll
        void stop() {
            serve.destroyForcibly();
        }

        @Test
        void aggregatesEverySeriesOfARealCluster() {
            Fixtures.awaitCommitted(config, 3000, Duration.ofMinutes(2));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Fixtures.readAll(config, config.aggregatesTopic()).stream()
                            .map(r -> SeriesId.fromBytes(r.key())).distinct().count() == 100);
        }

        @Test
        @Order(Integer.MAX_VALUE)
        void stopsCleanlyWithinAMinuteOfSigterm() throws Exception {
            serve.destroy();
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve exits within 60 s of SIGTERM").isTrue();
            assertThat(read(log)).contains("Kafka Streams stopped: NOT_RUNNING", "rollcall: stopped cleanly");
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log);
    }
}
