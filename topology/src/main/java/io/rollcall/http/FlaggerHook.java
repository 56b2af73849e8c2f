package io.rollcall.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.query.Json;
import io.rollcall.rollout.RolloutJson;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One call of a Flagger webhook: Flagger's {@code CanaryWebhookPayload} ({@code name},
 * {@code namespace}, {@code phase}, {@code checksum}, {@code metadata}). Flagger's checksum
 * hashes the target's pod template and tracked configs, so it stays the same for every hook
 * call of one canary run and changes with the next: the run's rollout id is derived from it,
 * and each hook of the run finds the rollout its pre-rollout hook registered.
 *
 * @param metadata the webhook's {@code metadata}: strings only, as Flagger's CRD declares it
 */
record FlaggerHook(String name, String namespace, String checksum, Map<String, String> metadata) {

    /** The metadata key that carries the write token (Flagger's webhooks cannot send headers). */
    static final String TOKEN = "token";
    /** The metadata key naming rollcall's service, when it is not the Canary's name. */
    static final String SERVICE = "service";
    /** Flagger's suffix for the primary's selector label value ({@code app: checkout-primary}). */
    static final String PRIMARY_SUFFIX = "-primary";

    /** Derived per run; a fixed value in the Canary would hold for every run. */
    private static final Set<String> DERIVED = Set.of("rolloutId", "startedAt");
    private static final Set<String> TEXT = Set.of("baselineRevision", "canaryRevision", "metric");
    private static final String SLOS = "slos";
    /** Numbers as the metadata writes them; anything else (such as "10s") stays text for the spec parser. */
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,18}(\\.\\d{1,18})?");

    /** The payload of a Flagger webhook call; a {@link BadRequest} when it is not one. */
    static FlaggerHook parse(JsonNode body) {
        if (!body.isObject()) {
            throw new BadRequest("body: a Flagger webhook payload (JSON object) is required");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode given = body.path("metadata");
        if (!given.isMissingNode() && !given.isNull()) {
            if (!given.isObject()) {
                throw new BadRequest("metadata: must be an object of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isTextual()) {
                    throw new BadRequest("metadata." + entry.getKey() + ": must be a string");
                }
                metadata.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return new FlaggerHook(required(body, "name"), optional(body, "namespace"), required(body, "checksum"),
                Collections.unmodifiableMap(metadata));
    }

    /** rollcall's service: {@code metadata.service}, else the Canary's name. */
    String service() {
        return Params.service(metadata.getOrDefault(SERVICE, name));
    }

    /** The id of this canary run's rollout: {@code <name>.<namespace>-<checksum>}. */
    String rolloutId() {
        return name + (namespace.isEmpty() ? "" : "." + namespace) + "-" + checksum;
    }

    String token() {
        return metadata.get(TOKEN);
    }

    /**
     * The {@code PUT /api/v1/rollouts/{service}} body this run stands for, for
     * {@link RolloutJson#parseSpec}: the metadata's strings as the JSON they spell ({@code slos}
     * as JSON text, numbers as numbers), the derived rollout id, and revisions defaulting to the
     * selector label values of Flagger's two Deployments: the target's ({@code <name>}) and the
     * primary's ({@code <name>-primary}).
     */
    ObjectNode specBody() {
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String key = entry.getKey();
            if (key.equals(TOKEN) || key.equals(SERVICE)) {
                continue;
            }
            if (DERIVED.contains(key)) {
                throw new RolloutJson.SpecException("metadata." + key,
                        "set by rollcall for each canary run (from the Canary's name, namespace and checksum); remove it");
            }
            spec.set(key, value(key, entry.getValue()));
        }
        spec.put("rolloutId", rolloutId());
        String canary = metadata.getOrDefault("canaryRevision", name);
        spec.put("canaryRevision", canary);
        spec.put("baselineRevision", metadata.getOrDefault("baselineRevision", canary + PRIMARY_SUFFIX));
        return spec;
    }

    /**
     * A spec field error in terms of the webhook: a field that comes from the metadata is named
     * {@code metadata.<field>}, so the message points at the line of the Canary to fix; the
     * fields rollcall derives keep their names.
     */
    RolloutJson.SpecException inMetadata(RolloutJson.SpecException e) {
        String field = e.field();
        String top = field.split("[.\\[]", 2)[0];
        boolean derived = top.equals("rolloutId") || top.equals("service") || top.equals("metadata")
                || top.endsWith("Revision") && !metadata.containsKey(top);
        if (derived) {
            return e;
        }
        return new RolloutJson.SpecException("metadata." + field, e.getMessage().substring(field.length() + 2));
    }

    private static JsonNode value(String key, String text) {
        if (TEXT.contains(key)) {
            return JsonNodeFactory.instance.textNode(text);
        }
        if (key.equals(SLOS)) {
            try {
                return Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw new RolloutJson.SpecException("metadata." + SLOS, "must be a JSON list of SLOs as text, "
                        + "e.g. '[{\"kind\": \"ERROR_RATE\", \"threshold\": 0.01}]': " + e.getMessage());
            }
        }
        if (DECIMAL.matcher(text).matches()) {
            return text.contains(".") ? JsonNodeFactory.instance.numberNode(new BigDecimal(text))
                    : JsonNodeFactory.instance.numberNode(Long.parseLong(text));
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    private static String required(JsonNode body, String field) {
        String value = optional(body, field);
        if (value.isEmpty()) {
            throw new BadRequest(field + ": required (a Flagger webhook payload has name, namespace, phase, "
                    + "checksum and metadata)");
        }
        return value;
    }

    private static String optional(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new BadRequest(field + ": must be a string");
        }
        return value.asText();
    }
}
