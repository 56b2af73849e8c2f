package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code rollcall demo --registry}: both producers side by side, against a real schema registry. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoRegistryIT {

    private static final Path TOOLS_JAR = Path.of("..", "tools", "target", "rollcall-tools.jar").toAbsolutePath().normalize();
    private static final Pattern DASHBOARD = Pattern.compile("\\[demo] dashboard: (http://localhost:\\d+)/");
    private static final Pattern PROCESSED = Pattern.compile("processed ([\\d,]+) ");

    private SchemaRegistry registry;
    private Process demo;
    private Path log;
    private String metrics;

    @BeforeAll
    void runTheDemoWithARegistry() throws Exception {
        registry = SchemaRegistry.start();
        log = Files.createTempFile("rollcall-demo-registry", ".log");
        demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar",
                TOOLS_JAR.toString(), "demo", "--http-port", "0", "--rate", "1000", "--series", "200",
                "--registry", registry.url())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> processed() >= 5_000 || !demo.isAlive());
        Matcher dashboard = DASHBOARD.matcher(read());
        assertThat(dashboard.find()).as("the dashboard URL in:%n%s", read()).isTrue();
        metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard.group(1) + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.destroyForcibly();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void registersTheEventSchemaAndSaysHowEventsAreWritten() throws IOException {
        assertThat(read()).containsPattern("MetricEvent is schema \\d+ under metric-events-value; every other event is "
                + "written in the Confluent wire format");
    }

    @Test
    void rollcallReadsTheConfluentFramedEventsThroughTheRegistry() {
        assertThat(metrics).containsPattern("rollcall_schema_registry_requests_total\\{outcome=\"found\"} [1-9]")
                .contains("rollcall_schema_registry_available 1.0");
    }

    @Test
    void noEventIsDeadLetteredForItsSchema() {
        assertThat(metrics).contains("rollcall_events_dead_lettered_total{reason=\"unknown_schema\"} 0.0")
                .contains("rollcall_events_dead_lettered_total{reason=\"incompatible_schema\"} 0.0");
    }

    private long processed() throws IOException {
        Matcher matcher = PROCESSED.matcher(read());
        long last = 0;
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1).replace(",", ""));
        }
        return last;
    }

    private String read() throws IOException {
        return Files.readString(log);
    }
}
