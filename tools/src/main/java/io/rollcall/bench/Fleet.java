package io.rollcall.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.config.RollcallConfig;
import io.rollcall.query.InstanceView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;

/**
 * The {@code rollcall serve} instances of a benchmark, each a JVM of its own with a state
 * directory it keeps across a restart, and what they say about themselves.
 */
final class Fleet implements AutoCloseable {

    private static final ObjectMapper JSON = io.rollcall.query.Json.mapper();

    private final RollcallConfig config;
    private final Map<String, String> overrides;
    private final Map<ServeProcess, String> live = new LinkedHashMap<>();
    private final Map<String, Path> stateDirs = new HashMap<>();

    /** @param overrides settings of every instance on top of {@code config} */
    Fleet(RollcallConfig config, Map<String, String> overrides) {
        this.config = config;
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts instance {@code name} on a fresh state directory and a free port. */
    ServeProcess add(String name) throws IOException {
        Path stateDir = Files.createTempDirectory("rollcall-sbench-" + name);
        stateDirs.put(name, stateDir);
        return start(name, Map.of("rollcall.state.dir", stateDir.toString()));
    }

    /** Starts {@code stopped} again on its state directory and port, once its process is gone. */
    ServeProcess restart(ServeProcess stopped) throws IOException, InterruptedException {
        String name = live.remove(stopped);
        stopped.process().waitFor();
        return start(name, Map.of("rollcall.state.dir", stateDirs.get(name).toString(),
                "rollcall.http.port", Integer.toString(stopped.port())));
    }

    private ServeProcess start(String name, Map<String, String> where) throws IOException {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.putAll(where);
        ServeProcess instance = ServeProcess.start(config, name, settings);
        live.put(instance, name);
        return instance;
    }

    /** Takes {@code instance} out of the fleet; its process is the caller's to stop. */
    void remove(ServeProcess instance) {
        live.remove(instance);
    }

    List<ServeProcess> live() {
        return List.copyOf(live.keySet());
    }

    String name(ServeProcess instance) {
        return live.get(instance);
    }

    /** Fails, naming the instance and its log, when a live instance's process has exited. */
    void checkAlive() {
        live.forEach((instance, name) -> {
            if (!instance.process().isAlive()) {
                throw new IllegalStateException("instance " + name + " exited with status "
                        + instance.process().exitValue() + "; its log: " + instance.log());
            }
        });
    }

    /** Whether {@code instance} answers {@code /health/ready} with 200. */
    static boolean ready(ServeProcess instance) {
        return instance.tryGet("/health/ready").map(r -> r.statusCode() == 200).orElse(false);
    }

    /** What {@code instance} says about restoring its stores; empty when it does not answer. */
    static Optional<Restoring> restoring(ServeProcess instance) {
        return instance.tryGet("/metrics").filter(r -> r.statusCode() == 200).flatMap(r -> Restoring.parse(r.body()));
    }

    /** The instances as {@code asked} sees them; empty when it does not answer. */
    static Optional<List<InstanceView>> members(ServeProcess asked) {
        return asked.tryGet("/api/v1/instances").filter(r -> r.statusCode() == 200).map(r -> {
            try {
                JsonNode instances = JSON.readTree(r.body()).get("instances");
                List<InstanceView> out = new ArrayList<>();
                for (JsonNode node : instances) {
                    out.add(JSON.treeToValue(node, InstanceView.class));
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException("unreadable /api/v1/instances: " + r.body(), e);
            }
        });
    }

    /** Whether {@code instance} says it holds at least one active partition. */
    static boolean active(ServeProcess instance) {
        return members(instance).flatMap(all -> all.stream().filter(InstanceView::self).findFirst())
                .map(self -> !self.activePartitions().isEmpty()).orElse(false);
    }

    /** Partitions that {@code asked} sees active on one of {@code among}. */
    static Set<Integer> activeOn(ServeProcess asked, List<ServeProcess> among) {
        Set<Integer> out = new TreeSet<>();
        members(asked).ifPresent(all -> all.stream()
                .filter(view -> among.stream().anyMatch(i -> view.instance().endsWith(":" + i.port())))
                .forEach(view -> out.addAll(view.activePartitions())));
        return out;
    }

    /** Who holds which partitions, as the first live instance sees it, e.g. "1: 5 active, 1 standby; 2: …". */
    String assignment() {
        List<ServeProcess> all = live();
        Optional<List<InstanceView>> views = all.isEmpty() ? Optional.empty() : members(all.get(0));
        return views.map(list -> list.stream().map(view -> String.format("%s: %d active, %d standby",
                        nameAt(view.instance()), view.activePartitions().size(), view.standbyPartitions().size()))
                .collect(Collectors.joining("; "))).orElse("no answer");
    }

    private String nameAt(String hostAndPort) {
        return live.entrySet().stream().filter(e -> hostAndPort.endsWith(":" + e.getKey().port()))
                .map(Map.Entry::getValue).findFirst().orElse(hostAndPort);
    }

    /** The active partitions {@code asked} sees on {@code instance}. */
    static int activeCount(ServeProcess asked, ServeProcess instance) {
        return activeOn(asked, List.of(instance)).size();
    }

    /** Stops every live instance cleanly and deletes every state directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (ServeProcess instance : live()) {
            instance.close();
        }
        live.clear();
        for (Path dir : stateDirs.values()) {
            Utils.delete(dir.toFile());
        }
    }
}
