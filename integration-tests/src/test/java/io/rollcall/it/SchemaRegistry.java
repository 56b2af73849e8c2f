package io.rollcall.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;

/**
 * A real schema registry: Apicurio Registry (unpacked from Maven Central by the build into
 * {@code target/schema-registry}) in a JVM of its own, serving the Confluent-compatible API on a
 * free loopback port. Apicurio needs Java {@value Java21#MINIMUM}+ ({@link Java21}).
 *
 * <p>Storage is H2 in a file under {@code target/}, so {@link #restart()} keeps every subject
 * and schema id, on the same port, and clients configured with {@link #url()} carry on.
 */
final class SchemaRegistry implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Path APP = Path.of("target", "schema-registry", "quarkus-run.jar").toAbsolutePath();
    private static final Path CLASS_DATA = APP.resolveSibling("registry.jsa");
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path java;
    private final Path dir;
    private final int port;
    private final int managementPort;
    /** Serves https on {@link #httpsPort} too, with this key store; null: http only. */
    private final Tls tls;
    private Process process;

    /** A PKCS12 key store for the registry's https port, and its password. */
    record Tls(Path keystore, String password, int httpsPort) {
    }

    private SchemaRegistry(Path java, Path dir, int port, int managementPort, Tls tls) {
        this.java = java;
        this.dir = dir;
        this.port = port;
        this.managementPort = managementPort;
        this.tls = tls;
    }

    /** Starts a registry with empty storage and waits until it answers. */
    static SchemaRegistry start() throws IOException {
        return start(null, null);
    }

    /** As {@link #start()}, serving https too with {@code keystore} (PKCS12) at {@link #httpsUrl()}. */
    static SchemaRegistry start(Path keystore, String password) throws IOException {
        if (!Files.isRegularFile(APP)) {
            throw new IllegalStateException(APP + " is missing: the build unpacks Apicurio Registry there"
                    + " in pre-integration-test (run through ./mvnw verify)");
        }
        Path dir = Files.createTempDirectory(Path.of("target"), "registry-run-").toAbsolutePath();
        int[] ports = freePorts(3);
        SchemaRegistry registry = new SchemaRegistry(Java21.executable(), dir, ports[0], ports[1],
                keystore == null ? null : new Tls(keystore.toAbsolutePath(), password, ports[2]));
        try {
            registry.launch();
        } catch (RuntimeException e) {
            registry.stop();
            throw e;
        }
        return registry;
    }

    /** The Confluent-compatible API's base URL, e.g. for {@code schema.registry.url}. */
    String url() {
        return "http://" + HOST + ":" + port + "/apis/ccompat/v7";
    }

    /** The Confluent-compatible API over https; only for a registry started with a key store. */
    String httpsUrl() {
        return "https://" + HOST + ":" + tls.httpsPort() + "/apis/ccompat/v7";
    }

    /** Apicurio's own API (v3), which Apicurio's serializers talk to. */
    String apicurioUrl() {
        return "http://" + HOST + ":" + port + "/apis/registry/v3";
    }

    /** Apicurio's v2 API, still served next to v3; Apicurio's 2.x Kafka Connect converter talks to it. */
    String apicurioV2Url() {
        return "http://" + HOST + ":" + port + "/apis/registry/v2";
    }

    /** Registers {@code schema} under {@code subject} through the Confluent-compatible API; returns its id. */
    int register(String subject, Schema schema) throws IOException, InterruptedException {
        String body = new ObjectMapper()
                .writeValueAsString(Map.of("schema", schema.toString()));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(url() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("registering under " + subject + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return new ObjectMapper().readTree(response.body()).get("id").asInt();
    }

    Path log() {
        return dir.resolve("registry.log");
    }

    /** Stops the registry and starts it again on the same port, on the same storage. */
    void restart() {
        stop();
        launch();
    }

    /** Stops the registry (SIGTERM, so H2 closes its file) and waits for its JVM to exit. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Xmx256m", "-XX:+UseSerialGC",
                // Start-up is most of a test registry's life: C1 only, and the classes loaded
                // by an earlier run mapped from a class-data archive (JDK 19+), which the JVM
                // writes on exit and rewrites when the JDK or the application changed.
                "-XX:TieredStopAtLevel=1",
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + CLASS_DATA));
        settings().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", APP.toString()));
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        Process started = process;
        await("schema registry at " + url() + " (log: " + log() + ")")
                .atMost(STARTUP)
                .pollInterval(Duration.ofMillis(200))
                .failFast("schema registry exited (log: " + log() + ")", () -> !started.isAlive())
                .until(this::answers);
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new java.util.HashMap<>(plainSettings());
        if (tls != null) {
            settings.put("quarkus.http.ssl-port", Integer.toString(tls.httpsPort()));
            settings.put("quarkus.http.ssl.certificate.key-store-file", tls.keystore().toString());
            settings.put("quarkus.http.ssl.certificate.key-store-file-type", "PKCS12");
            settings.put("quarkus.http.ssl.certificate.key-store-password", tls.password());
            // The plain port stays open too: the fixture checks it to know the registry is up.
            settings.put("quarkus.http.insecure-requests", "enabled");
        }
        return settings;
    }

    private Map<String, String> plainSettings() {
        return Map.of(
                "quarkus.http.host", HOST,
                "quarkus.http.port", Integer.toString(port),
                // The management interface (health, metrics) is built in and defaults to 0.0.0.0:9000,
                // which parallel registries and other servers would fight over.
                "quarkus.management.host", HOST,
                "quarkus.management.port", Integer.toString(managementPort),
                // H2 in a file rather than Apicurio's default in-memory H2, so a restart keeps the ids.
                "apicurio.datasource.url", "jdbc:h2:file:" + dir.resolve("storage"),
                "apicurio.datasource.jdbc.initial-size", "1",
                "apicurio.datasource.jdbc.min-size", "1",
                "apicurio.datasource.jdbc.max-size", "8");
    }

    private boolean answers() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int[] freePorts(int count) throws IOException {
        // All sockets stay open until every port is chosen, so the ports differ.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
