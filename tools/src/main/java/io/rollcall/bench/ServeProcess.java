package io.rollcall.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.config.RollcallConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@code rollcall serve} instance in a JVM of its own, for benchmarks and tests that kill instances. */
public final class ServeProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = io.rollcall.query.Json.mapper();
    /** The system property with each instance's CPU limit in cores; none when unset. */
    public static final String CPUS_PROPERTY = "rollcall.instance.cpus";
    private static final AtomicInteger QUOTAS = new AtomicInteger();

    private final Process process;
    private final int port;
    private final Path log;

    private ServeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code rollcall serve} from the jar this class was loaded from. */
    public static ServeProcess start(RollcallConfig base, String name) throws IOException {
        return start(runningJar(), base, name, Map.of());
    }

    /** Starts {@code rollcall serve} from the jar this class was loaded from, with {@code overrides}. */
    public static ServeProcess start(RollcallConfig base, String name, Map<String, String> overrides) throws IOException {
        return start(runningJar(), base, name, overrides);
    }

    /**
     * Starts {@code java -jar jar serve} with {@code base} plus {@code overrides}, its own
     * state directory and a free HTTP port, logging to a temporary file.
     */
    public static ServeProcess start(Path jar, RollcallConfig base, String name, Map<String, String> overrides)
            throws IOException {
        return start(List.of("-jar", jar.toString()), base, name, overrides);
    }

    /**
     * As above with the program given as java's arguments before {@code serve}: {@code -jar <jar>},
     * or {@code -cp <classpath> <main class>} for a release kept as its jars.
     */
    public static ServeProcess start(List<String> program, RollcallConfig base, String name,
            Map<String, String> overrides) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions(name).split("\\s+")));
        command.addAll(program);
        return start(command, Map.of(), base, name, overrides);
    }

    /**
     * {@code rollcall serve} as the container image starts it: through the launcher script
     * {@code launcher}, with the JVM options in {@code JAVA_OPTS} and the launcher's class data
     * sharing archive in {@code archives} (none when empty).
     */
    public static ServeProcess launch(Path launcher, Optional<Path> archives, RollcallConfig base, String name,
            Map<String, String> overrides) throws IOException {
        return start(List.of(launcher.toString()), Map.of("JAVA_OPTS", jvmOptions(name),
                "ROLLCALL_CDS_DIR", archives.map(Path::toString).orElse("")), base, name, overrides);
    }

    /** JVM options of the instances, e.g. -Drollcall.instance.jvm-options="-Xmx1g -XX:+UseZGC"; {name} is the instance's. */
    private static String jvmOptions(String name) {
        return System.getProperty("rollcall.instance.jvm-options", "-Xmx1g").replace("{name}", name).trim();
    }

    /** {@code command serve --config FILE}, FILE holding {@code base} and {@code overrides}, with {@code environment}. */
    private static ServeProcess start(List<String> program, Map<String, String> environment, RollcallConfig base,
            String name, Map<String, String> overrides) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> settings = new TreeMap<>(base.asMap());
        settings.put("rollcall.http.port", Integer.toString(port));
        settings.put("rollcall.state.dir", Files.createTempDirectory("rollcall-" + name).toString());
        settings.putAll(overrides);
        port = Integer.parseInt(settings.get("rollcall.http.port")); // an override keeps an address across restarts
        Path file = Files.createTempFile("rollcall-" + name, ".properties");
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(file, text);
        Path log = Files.createTempFile("rollcall-" + name, ".log");
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of("serve", "--config", file.toString()));
        // A CPU limit per instance, as a pod's, e.g. -Drollcall.instance.cpus=0.5 (a cgroup quota).
        String cpus = System.getProperty(CPUS_PROPERTY, "");
        CpuQuota quota = cpus.isBlank() ? null : CpuQuota.create(
                "rollcall-" + ProcessHandle.current().pid() + "-" + name + "-" + QUOTAS.incrementAndGet(),
                Double.parseDouble(cpus));
        ProcessBuilder builder = new ProcessBuilder(quota == null ? command : quota.wrap(command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (quota != null) {
            process.onExit().thenRun(quota::remove);
        }
        return new ServeProcess(process, port, log);
    }

    private static Path runningJar() {
        try {
            return Path.of(ServeProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the rollcall jar", e);
        }
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /** A GET of {@code path} (from {@code /api/…}) on this instance, answered within 5 s. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As {@link #get}, empty when the instance does not answer (starting, stopped, killed). */
    public Optional<HttpResponse<String>> tryGet(String path) {
        try {
            return Optional.of(get(path));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Active partitions of this instance once the other one is in the group too; empty until then. */
    public List<Integer> activePartitions(int otherPort) {
        Optional<HttpResponse<String>> answer = tryGet("/api/v1/instances");
        if (answer.isEmpty() || answer.get().statusCode() != 200) {
            return List.of();
        }
        try {
            JsonNode instances = JSON.readTree(answer.get().body()).get("instances");
            List<Integer> mine = new ArrayList<>();
            boolean otherSeen = false;
            for (JsonNode instance : instances) {
                otherSeen |= instance.get("instance").asText().endsWith(":" + otherPort);
                if (instance.get("self").asBoolean()) {
                    instance.get("activePartitions").forEach(p -> mine.add(p.asInt()));
                }
            }
            return otherSeen ? mine : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

}
