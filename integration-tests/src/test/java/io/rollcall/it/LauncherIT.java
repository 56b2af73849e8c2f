package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The launcher ({@code ./rollcall serve}, the image's entry point) and class data sharing: the
 * first instance writes an archive of the classes it loaded when it stops cleanly, and the next
 * one starts with it. Both run with {@code -Xshare:on}, so a JVM that cannot map the archive
 * does not start at all. A copy cut short, as by a kill during the write, is found and discarded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "rollcall").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path archives;
    private String firstOutput;
    private List<String> afterFirstStop;
    private String secondOutput;
    private Process second;
    private int port;

    @BeforeAll
    void startStopAndStartAgain() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("launcher");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 2)));
        archives = Files.createTempDirectory("rollcall-cds");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path settings = Files.createTempFile("rollcall-launcher", ".properties");
        StringBuilder text = new StringBuilder();
        config.asMap().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        text.append("rollcall.http.port=").append(port).append('\n');
        text.append("rollcall.state.dir=").append(Files.createTempDirectory("rollcall-launcher")).append('\n');
        Files.writeString(settings, text);

        Path firstLog = Files.createTempFile("rollcall-launcher-1", ".log");
        Process first = launch(settings, firstLog);
        await("/health/ready");
        first.destroy();
        assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the first instance stops after SIGTERM").isTrue();
        firstOutput = Files.readString(firstLog);
        afterFirstStop = names();

        // What a kill in the middle of writing leaves: a file that is not a whole archive.
        Path written = Files.list(archives).filter(p -> p.toString().endsWith(".new")).findFirst().orElseThrow();
        byte[] whole = Files.readAllBytes(written);
        Files.write(written.resolveSibling(written.getFileName().toString().replaceFirst("\\.\\d+\\.new$", ".1.new")),
                Arrays.copyOf(whole, whole.length / 3));

        Path secondLog = Files.createTempFile("rollcall-launcher-2", ".log");
        second = launch(settings, secondLog);
        await("/health/live"); // a JVM that cannot map its archive under -Xshare:on exits at once
        secondOutput = Files.readString(secondLog);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (second != null) {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCleanStopLeavesAnArchiveOfTheLoadedClasses() {
        assertThat(firstOutput).contains("no class data sharing archive for this build yet");
        assertThat(afterFirstStop).singleElement().asString().matches("rollcall-\\d+\\.\\d+\\.new");
    }

    @Test
    void writingTheArchiveAddsNoWarningToTheLog() {
        assertThat(firstOutput).contains("rollcall: stopped cleanly")
                .doesNotContain("[warning]", "ignoring environment variable");
    }

    @Test
    void theNextInstanceStartsWithTheArchive() {
        assertThat(secondOutput).containsPattern("class data sharing archive \\S+/rollcall-\\d+\\.jsa");
    }

    @Test
    void anArchiveCutShortIsDiscarded() throws IOException {
        assertThat(names()).singleElement().asString().matches("rollcall-\\d+\\.jsa");
    }

    private Process launch(Path settings, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "serve", "--config", settings.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ROLLCALL_CDS_DIR", archives.toString());
        builder.environment().put("JAVA_OPTS", "-Xmx512m -Xshare:on");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder.start();
    }

    private void await(String health) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + health))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(archives)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
