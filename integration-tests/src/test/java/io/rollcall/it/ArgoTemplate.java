package io.rollcall.it;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * An Argo Rollouts (Cluster)AnalysisTemplate read from its YAML file, with its arguments
 * resolved and substituted into a metric the way the Argo Rollouts controller does it.
 */
record ArgoTemplate(JsonNode spec) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static ArgoTemplate read(Path file) {
        try {
            return new ArgoTemplate(YAML.readTree(file.toFile()).path("spec"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> metricNames() {
        return StreamSupport.stream(spec.path("metrics").spliterator(), false).map(m -> m.path("name").asText()).toList();
    }

    /**
     * The values of every argument: the template's, overridden by {@code given} (a Rollout's
     * args), and a {@code valueFrom.secretKeyRef} read from {@code secrets} ("name/key"), as the
     * AnalysisRun's namespace would answer. Mirrors {@code MergeArgs} (utils/analysis/helpers.go)
     * and the secret lookup of {@code Controller.resolveArgs} (analysis/analysis.go): an argument
     * left without a value is an error.
     */
    Map<String, String> args(Map<String, String> given, Map<String, String> secrets) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode arg : spec.path("args")) {
            String name = arg.path("name").asText();
            JsonNode secret = arg.path("valueFrom").path("secretKeyRef");
            String value = given.containsKey(name) ? given.get(name)
                    : arg.has("value") ? arg.get("value").asText()
                    : secret.isObject() ? secrets.get(secret.path("name").asText() + "/" + secret.path("key").asText())
                    : null;
            if (value == null) {
                throw new IllegalArgumentException("args." + name + " was not resolved");
            }
            values.put(name, value);
        }
        return values;
    }

    /**
     * The metric with every {@code {{args.x}}} replaced. Mirrors {@code ResolveMetricArgs}
     * (utils/analysis/factory.go): the metric is serialised to JSON, the placeholders are
     * replaced in that text by each value escaped as JSON string content
     * ({@code ResolveQuotedArgs}, utils/template/template.go, escapes with Go's strconv.Quote,
     * which agrees with JSON escaping for printable ASCII), and the text is parsed back. So a
     * placeholder inside a string field (a URL, a header, {@code body}) receives the value
     * verbatim; an unknown placeholder is an error.
     */
    JsonNode metric(String name, Map<String, String> args) {
        JsonNode metric = StreamSupport.stream(spec.path("metrics").spliterator(), false)
                .filter(m -> m.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric " + name));
        try {
            return Api.JSON.readTree(substitute(Api.JSON.writeValueAsString(metric), args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** fasttemplate with {@code {{ }}} and trimmed tags, as {@code resolve} in utils/template/template.go. */
    static String substitute(String text, Map<String, String> args) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int open = text.indexOf("{{"); open >= 0; open = text.indexOf("{{", from)) {
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("cannot find end tag=\"}}\" in " + text.substring(open));
            }
            String tag = text.substring(open + 2, close).strip();
            if (!tag.startsWith("args.") || !args.containsKey(tag.substring(5))) {
                throw new IllegalArgumentException("failed to resolve {{" + tag + "}}");
            }
            out.append(text, from, open).append(JsonStringEncoder.getInstance().quoteAsString(args.get(tag.substring(5))));
            from = close + 2;
        }
        return out.append(text.substring(from)).toString();
    }
}
