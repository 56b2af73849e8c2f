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
 * The launcher ({@code ./rollcall serve}, the image's entry point) and class data sharing: an
 * instance of a build without an archive writes one soon after it is ready; killed, it is
 * started again with it. Every JVM runs with {@code -Xshare:on}, so one that cannot map its
 * archive does not start at all. An archive cut short, as by a kill while it is written, is
 * found and discarded, and the instance starts without one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "rollcall").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path archives;
    private Path settings;
    private int port;
    private String firstOutput;
    private String secondOutput;
    private List<String> afterSecondStart;
    private String thirdOutput;
    private List<String> afterThirdStart;

    @BeforeAll
    void startKillAndStartAgain() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("launcher");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 2)));
        archives = Files.createTempDirectory("rollcall-cds");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        settings = Files.createTempFile("rollcall-launcher", ".properties");
        StringBuilder text = new StringBuilder();
        config.asMap().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        text.append("rollcall.http.port=").append(port).append('\n');
        text.append("rollcall.state.dir=").append(Files.createTempDirectory("rollcall-launcher")).append('\n');
        Files.writeString(settings, text);

        Path firstLog = Files.createTempFile("rollcall-launcher-1", ".log");
        Process first = launch(firstLog);
        try {
            await("/health/ready");
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(firstLog).contains("wrote the class data archive"));
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        firstOutput = Files.readString(firstLog);

        Path secondLog = Files.createTempFile("rollcall-launcher-2", ".log");
        secondOutput = startUntilLive(secondLog);
        afterSecondStart = names();

        // What a kill in the middle of writing leaves: a file that is not a whole archive.
        Path archive = archives.resolve(afterSecondStart.get(0));
        byte[] whole = Files.readAllBytes(archive);
        Files.delete(archive);
        Files.write(archives.resolve(archive.getFileName().toString().replace(".jsa", ".1.new")),
                Arrays.copyOf(whole, whole.length / 3));
        Path thirdLog = Files.createTempFile("rollcall-launcher-3", ".log");
        thirdOutput = startUntilLive(thirdLog);
        afterThirdStart = names();
    }

    @Test
    void anInstanceWritesAnArchiveSoonAfterItIsReady() {
        assertThat(firstOutput).contains("no class data sharing archive for this build yet")
                .contains("wrote the class data archive");
    }

    @Test
    void writingTheArchiveAddsNoWarningToTheLog() {
        assertThat(firstOutput).doesNotContain("[warning]", "ignoring environment variable");
    }

    @Test
    void anInstanceKilledAndStartedAgainStartsWithTheCheckedArchive() {
        assertThat(secondOutput).containsPattern("class data sharing archive \\S+/rollcall-\\d+\\.jsa");
        assertThat(afterSecondStart).singleElement().asString().matches("rollcall-\\d+\\.jsa");
    }

    @Test
    void anArchiveCutShortIsDiscardedAndTheInstanceStartsWithoutOne() {
        assertThat(thirdOutput).contains("no class data sharing archive for this build yet");
        assertThat(afterThirdStart).isEmpty();
    }

    /** Starts an instance until it answers HTTP (its JVM started, with its archive if any), then kills it. */
    private String startUntilLive(Path log) throws Exception {
        Process instance = launch(log);
        try {
            await("/health/live");
        } finally {
            instance.destroyForcibly();
            instance.waitFor(30, TimeUnit.SECONDS);
        }
        return Files.readString(log);
    }

    private Process launch(Path log) throws IOException {
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
