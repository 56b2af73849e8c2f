package io.rollcall.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Reading Kubernetes manifests, checking them against their kinds' schemas, and rendering kustomizations. */
final class Manifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String KUSTOMIZE_GROUP = "kustomize.config.k8s.io/";

    /** The custom resources' schemas; loading them takes a while, so once. */
    private static final CrdSchemas CRDS = CrdSchemas.vendored();

    private Manifests() {
    }

    /** One document of a manifest and where it came from. */
    record Doc(String source, JsonNode tree) {
        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }
    }

    static List<Doc> read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file));
    }

    static List<Doc> parse(String source, String yaml) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            Iterator<JsonNode> trees = YAML.readValues(parser, JsonNode.class);
            while (trees.hasNext()) {
                JsonNode tree = trees.next();
                if (tree == null || tree.isNull() || tree.isEmpty() || !tree.has("kind")) {
                    continue;
                }
                docs.add(new Doc(source, tree));
            }
        }
        return docs;
    }

    /** Every problem of a whole object against its schema, as "Kind/name: .path: problem"; empty when it is valid. */
    static List<String> problems(Doc doc) {
        return problems(doc, false);
    }

    /**
     * Every problem of a strategic-merge patch (an overlay's partial object) against its kind's
     * schema: as {@link #problems(Doc)}, but required fields may be left to the patched object.
     */
    static List<String> patchProblems(Doc doc) {
        return problems(doc, true);
    }

    private static List<String> problems(Doc doc, boolean patch) {
        String apiVersion = doc.tree().path("apiVersion").asText();
        if (apiVersion.startsWith(KUSTOMIZE_GROUP)) {
            // Not sent to the cluster; kubectl kustomize rejects unknown fields of these itself.
            return List.of();
        }
        List<String> problems = CRDS.defines(apiVersion, doc.kind()) ? CRDS.validate(doc.tree(), patch)
                : KubernetesModel.problems(doc.tree(), patch);
        return problems.stream().map(p -> doc.kind() + "/" + doc.name() + ": " + p).toList();
    }

    /** A key of a strategic-merge patch that is a directive ({@code $patch: delete}, {@code $setElementOrder/…}), not a field. */
    static boolean isPatchDirective(String key) {
        return key.startsWith("$");
    }

    /** The strategic-merge patch files (partial objects) that the kustomizations among {@code files} apply. */
    static Set<Path> patchFiles(List<Path> files) throws IOException {
        Set<Path> patches = new HashSet<>();
        for (Path file : files) {
            for (Doc doc : read(file)) {
                if (doc.tree().path("apiVersion").asText().startsWith(KUSTOMIZE_GROUP)) {
                    doc.tree().path("patches").forEach(p -> {
                        if (p.has("path")) {
                            patches.add(file.resolveSibling(p.path("path").asText()).normalize());
                        }
                    });
                    doc.tree().path("patchesStrategicMerge").forEach(p -> patches.add(file.resolveSibling(p.asText()).normalize()));
                }
            }
        }
        return patches;
    }

    /** The kubectl on the PATH, or null. */
    static Path kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code kubectl kustomize dir}: the overlay as the cluster would receive it. */
    static String kustomize(Path kubectl, Path dir) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            // stderr to a file: reading the two pipes one after the other can block on a full one.
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectError(errors.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + Files.readString(errors));
            }
            return out;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** An object node for a tree path, or a missing node. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String step : path) {
            current = current.path(step);
        }
        return current;
    }

    static ObjectNode object() {
        return YAML.createObjectNode();
    }
}
