package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.config.RollcallConfig;
import io.rollcall.rollout.RolloutWriter;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@code rollcall serve} logs, run as a user runs it (a separate JVM): started once with
 * readable logs, creating and restoring its empty stores, stopped, and started again on the same
 * state with {@code ROLLCALL_LOG_FORMAT=json}; a rollout spec it must ignore gives it a line about
 * a rollout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogsIT {

    private static final Path JAR = Path.of("..", "topology", "target", "rollcall.jar").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNNING = "REBALANCING -> RUNNING";
    /** The end of a partition's restoration: "restored STORE from CHANGELOG-N: 0 records in 12 ms". */
    private static final Pattern PARTITION_RESTORED = Pattern.compile("restored \\S+ from \\S+: \\d+ records");
    /** The start of a partition's restoration: "restoring STORE from CHANGELOG-N offsets 0..2". */
    private static final Pattern PARTITION_RESTORING = Pattern.compile("restoring \\S+ from \\S+ offsets");

    private RollcallConfig config;
    private Path properties;
    private Path consoleLog;
    private Path log;
    private Process serve;

    @BeforeAll
    void serveTwiceTheSecondTimeWithJsonLogs() throws Exception {
        config = Fixtures.uniqueConfig("logs");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 3)));
        properties = Files.createTempFile("rollcall", ".properties");
        StringBuilder text = new StringBuilder();
        config.asMap().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(properties, text);

        consoleLog = Files.createTempFile("rollcall-serve-console", ".log");
        Process firstRun = serve("console", consoleLog);
        await().atMost(Duration.ofMinutes(2)).until(() -> read(consoleLog).contains(RUNNING) || !firstRun.isAlive());
        firstRun.destroy();
        assertThat(firstRun.waitFor(60, TimeUnit.SECONDS)).as("first run stops on SIGTERM").isTrue();

        log = Files.createTempFile("rollcall-serve-json", ".log");
        serve = serve("json", log);
        try (RolloutWriter writer = new RolloutWriter(config)) {
            writer.put(specWithoutSuccessWindows());
        }
        await().atMost(Duration.ofMinutes(2)).until(() ->
                read(log).contains(RUNNING) && read(log).contains("ignoring rollout spec") || !serve.isAlive());
    }

    @AfterAll
    void stop() {
        serve.destroyForcibly();
    }

    @Test
    void everyLineIsAJsonObjectWithTimestampLevelLoggerThreadAndMessage() throws Exception {
        List<JsonNode> lines = lines();
        assertThat(lines).hasSizeGreaterThan(3);
        for (JsonNode line : lines) {
            assertThat(line.isObject()).as("%s", line).isTrue();
            assertThat(Instant.parse(line.path("timestamp").asText())).isNotNull();
            assertThat(line.path("level").asText()).as("%s", line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("logger").asText()).as("%s", line).isNotBlank();
            assertThat(line.path("thread").asText()).as("%s", line).isNotBlank();
            assertThat(line.path("message").asText()).as("%s", line).isNotBlank();
        }
    }

    @Test
    void aLineAboutARolloutCarriesItsIdAndServiceAsFields() throws Exception {
        JsonNode ignored = lines().stream()
                .filter(line -> line.path("message").asText().startsWith("ignoring rollout spec"))
                .findFirst().orElseThrow();
        assertThat(ignored.path("level").asText()).isEqualTo("WARN");
        assertThat(ignored.path("rolloutId").asText()).isEqualTo("payments-r7");
        assertThat(ignored.path("service").asText()).isEqualTo("payments");
    }

    @Test
    void aLineAboutNothingInParticularCarriesNoContextFields() throws Exception {
        JsonNode running = lines().stream()
                .filter(line -> line.path("message").asText().contains(RUNNING))
                .findFirst().orElseThrow();
        assertThat(running.has("rolloutId")).isFalse();
        assertThat(running.has("seriesId")).isFalse();
        assertThat(running.has("partition")).isFalse();
    }

    @Test
    void aStartWithEmptyStoresLogsNoLinePerStorePartition() {
        List<String> lines = read(consoleLog).lines().toList();
        assertThat(lines).filteredOn(line -> PARTITION_RESTORED.matcher(line).find()).isEmpty();
        assertThat(lines).filteredOn(line -> PARTITION_RESTORING.matcher(line).find()).isEmpty();
    }

    @Test
    void aStartWithEmptyStoresSumsUpItsRestorationInOneLinePerRound() {
        assertThat(read(consoleLog).lines())
                .anyMatch(line -> line.matches(".* - restored state: 0 records into \\d+ partitions of \\d+ stores "
                        + "in [\\d,]+ ms"));
    }

    /** A spec the HTTP API would refuse (written straight to the topic): rollcall ignores it with one warning. */
    private static RolloutSpec specWithoutSuccessWindows() {
        return RolloutSpec.newBuilder()
                .setRolloutId("payments-r7")
                .setService("payments")
                .setBaselineRevision("payments-r6")
                .setCanaryRevision("payments-r7")
                .setSlos(List.of(Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(0.02).build()))
                .setAnalysisWindow(Duration.ofSeconds(10).toMillis())
                .setMinSamples(50)
                .setFailureLimit(2)
                .setSuccessWindows(0)
                .setStartedAt(Instant.now())
                .build();
    }

    private Process serve(String format, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--config",
                properties.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(output.toFile());
        builder.environment().put("ROLLCALL_LOG_FORMAT", format);
        return builder.start();
    }

    /** Every line of the JSON run's stderr, parsed; a line that is not JSON fails the test. */
    private List<JsonNode> lines() throws IOException {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : read(log).split("\n")) {
            try {
                parsed.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON object: " + line, e);
            }
        }
        return parsed;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
