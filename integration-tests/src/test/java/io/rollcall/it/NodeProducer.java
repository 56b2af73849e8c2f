package io.rollcall.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The example Node.js producer ({@code examples/node-producer}: kafkajs and
 * {@code @kafkajs/confluent-schema-registry}), run as a user runs it: {@code npm ci} from its
 * committed lock file, then {@code node producer.js}. Needs {@code node} and {@code npm} on the
 * PATH, and the npm registry for {@code npm ci} (its cache after the first run).
 */
final class NodeProducer {

    private static final Path DIR = Path.of("..", "examples", "node-producer").toAbsolutePath().normalize();
    private static final Path LOGS = Path.of("target", "node-producer").toAbsolutePath();
    private static final Duration INSTALL = Duration.ofMinutes(5);
    private static final Duration RUN = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as the producer reports it: the series id as unsigned decimal text. */
    record Sent(String id, String type, double value, Integer status) {
    }

    private NodeProducer() {
    }

    /** Installs the producer's dependencies in its folder, exactly as its lock file pins them. */
    static NodeProducer install() {
        run("npm-ci", List.of("npm", "ci", "--no-audit", "--no-fund"), INSTALL);
        return new NodeProducer();
    }

    /** Registers the schema and sends {@code count} events over {@code ids}; returns what was sent. */
    List<Sent> produce(String brokers, String topic, String registryUrl, int count, List<String> ids) {
        List<String> lines = run("produce", List.of("node", "producer.js", "--brokers", brokers, "--topic", topic,
                "--registry", registryUrl, "--count", Integer.toString(count), "--ids", String.join(",", ids)), RUN);
        List<Sent> sent = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonNode event = JSON.readTree(line);
                JsonNode status = event.get("status");
                sent.add(new Sent(event.get("id").asText(), event.get("type").asText(), event.get("value").asDouble(),
                        status.isNull() ? null : status.asInt()));
            } catch (IOException e) {
                throw new IllegalStateException("the producer printed a line that is no event: " + line, e);
            }
        }
        return sent;
    }

    /** Runs {@code command} in the producer's folder; returns its standard output, line by line. */
    private static List<String> run(String name, List<String> command, Duration timeout) {
        try {
            Files.createDirectories(LOGS);
            Path out = LOGS.resolve(name + ".out");
            Path err = LOGS.resolve(name + ".log");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(DIR.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + command.get(0) + ": the Node.js producer tests need"
                        + " Node.js 20 or newer with npm on the PATH (./run-tests installs Debian's nodejs and npm)", e);
            }
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + " (log: " + err + ")");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + " (log: " + err + "):\n" + Files.readString(err));
            }
            return Files.readAllLines(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
