package io.rollcall.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.config.ConfigException;
import io.rollcall.config.Durations;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;

/** Rollout specs from JSON: the parsing of {@code PUT} bodies. */
public final class RolloutJson {

    /** A field of a {@code PUT} body that is missing, malformed or out of range. */
    public static final class SpecException extends RuntimeException {
        private final String field;

        public SpecException(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private static final Set<String> SPEC_FIELDS = Set.of("rolloutId", "service", "baselineRevision", "canaryRevision",
            "metric", "slos", "analysisWindow", "minSamples", "failureLimit", "successWindows", "confidence",
            "startedAt");
    private static final Set<String> SLO_FIELDS = Set.of("kind", "quantile", "threshold", "maxRelativeIncrease");

    private RolloutJson() {
    }

    /**
     * Whether {@code next} is the rollout {@code current} already is: the same id and settings,
     * and — unless the body named its own {@code startedAt} — any start time.
     */
    public static boolean sameRollout(RolloutSpec current, RolloutSpec next, boolean startGiven) {
        if (!current.getRolloutId().equals(next.getRolloutId())) {
            return false;
        }
        for (Schema.Field field : RolloutSpec.getClassSchema().getFields()) {
            boolean start = field.name().equals("startedAt");
            if ((!start || startGiven) && !Objects.equals(current.get(field.pos()), next.get(field.pos()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A spec from a {@code PUT /api/v1/rollouts/{service}} body. {@code service} comes from the
     * path (a body may repeat it, but not differ); {@code rolloutId} defaults to
     * service-epochMillis, {@code startedAt} to now; durations are milliseconds or text
     * like {@code 10s}. Unknown fields are refused, so a typo cannot silently fall back to a
     * default.
     */
    public static RolloutSpec parseSpec(JsonNode body, String service, Instant now) {
        if (body == null || !body.isObject()) {
            throw new SpecException("body", "must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SPEC_FIELDS.contains(name)) {
                throw new SpecException(name, "unknown field; known: " + new java.util.TreeSet<>(SPEC_FIELDS));
            }
        }
        String bodyService = text(body, "service", service);
        if (!service.equals(bodyService)) {
            throw new SpecException("service", "'" + bodyService + "' differs from the path's '" + service + "'");
        }
        Instant startedAt = time(body, "startedAt", now);
        RolloutSpec.Builder spec = RolloutSpec.newBuilder()
                .setService(service)
                .setRolloutId(text(body, "rolloutId", service + "-" + startedAt.toEpochMilli()))
                .setBaselineRevision(text(body, "baselineRevision", null))
                .setCanaryRevision(text(body, "canaryRevision", null))
                .setStartedAt(startedAt);
        if (body.has("metric")) {
            spec.setMetric(text(body, "metric", null));
        }
        if (body.has("analysisWindow")) {
            spec.setAnalysisWindow(duration(body, "analysisWindow"));
        }
        if (body.has("minSamples")) {
            spec.setMinSamples(integer(body, "minSamples"));
        }
        if (body.has("failureLimit")) {
            spec.setFailureLimit(integer(body, "failureLimit"));
        }
        if (body.has("successWindows")) {
            spec.setSuccessWindows(integer(body, "successWindows"));
        }
        if (body.has("confidence")) {
            spec.setConfidence(number(body, "confidence", "confidence"));
        }
        JsonNode slos = body.get("slos");
        if (slos == null || !slos.isArray()) {
            throw new SpecException("slos", "required: a list such as [{\"kind\": \"LATENCY\", \"quantile\": 0.95, "
                    + "\"threshold\": 300}, {\"kind\": \"ERROR_RATE\", \"threshold\": 0.01}]");
        }
        List<Slo> list = new ArrayList<>();
        for (int i = 0; i < slos.size(); i++) {
            list.add(slo(slos.get(i), "slos[" + i + "]"));
        }
        spec.setSlos(list);
        RolloutSpec built = spec.build();
        var problems = SpecValidator.problems(built);
        if (!problems.isEmpty()) {
            throw new SpecException(problems.get(0).field(), problems.get(0).message());
        }
        return built;
    }

    /** An SLO as an object ({@code {"kind": "LATENCY", …}}) or in its text form ({@code "p95<=300ms+10%"}). */
    private static Slo slo(JsonNode node, String path) {
        if (node.isTextual()) {
            try {
                return SloRule.parse(node.asText()).toAvro();
            } catch (IllegalArgumentException e) {
                throw new SpecException(path, e.getMessage());
            }
        }
        if (!node.isObject()) {
            throw new SpecException(path, "must be an object or an SLO's text, e.g. \"p95<=300ms\"");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SLO_FIELDS.contains(name)) {
                throw new SpecException(path + "." + name, "unknown field; known: " + new java.util.TreeSet<>(SLO_FIELDS));
            }
        }
        String kind = text(node, "kind", null, path + ".kind");
        SloKind parsed;
        try {
            parsed = SloRule.kind(kind);
        } catch (IllegalArgumentException e) {
            throw new SpecException(path + ".kind", e.getMessage());
        }
        return Slo.newBuilder()
                .setKind(parsed)
                .setQuantile(node.has("quantile") ? number(node, "quantile", path + ".quantile") : null)
                .setThreshold(node.has("threshold") ? number(node, "threshold", path + ".threshold") : null)
                .setMaxRelativeIncrease(node.has("maxRelativeIncrease")
                        ? number(node, "maxRelativeIncrease", path + ".maxRelativeIncrease") : null)
                .build();
    }

    private static String text(JsonNode node, String field, String fallback) {
        return text(node, field, fallback, field);
    }

    private static String text(JsonNode node, String field, String fallback, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw new SpecException(path, "required");
            }
            return fallback;
        }
        if (!value.isTextual()) {
            throw new SpecException(path, "must be a string");
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new SpecException(path, "must be a number");
        }
        return value.asDouble();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new SpecException(field, "must be an integer");
        }
        return value.asInt();
    }

    private static long duration(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Durations.parse(field, value.asText()).toMillis();
            } catch (ConfigException e) {
                throw new SpecException(field, "must be milliseconds or a duration such as 10s or PT10S, got '"
                        + value.asText() + "'");
            }
        }
        throw new SpecException(field, "must be milliseconds or a duration such as 10s");
    }

    private static Instant time(JsonNode node, String field, Instant fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        if (value.isTextual()) {
            try {
                return Instant.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw new SpecException(field, "must be ISO-8601 (2026-11-26T10:00:00Z) or epoch ms");
            }
        }
        throw new SpecException(field, "must be ISO-8601 or epoch ms");
    }
}
