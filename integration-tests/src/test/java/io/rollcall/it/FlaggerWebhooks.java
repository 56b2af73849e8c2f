package io.rollcall.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The webhooks of the example Canary ({@code k8s/flagger/canary.yaml}), called the way Flagger
 * calls them ({@code CallWebhook} in its {@code pkg/controller/webhook.go}): a POST of
 * {@code CanaryWebhookPayload} as Go's {@code encoding/json} writes it — fields in struct order
 * with their JSON tags, metadata keys sorted, metadata left out when empty — to the hook's URL
 * with only its scheme, host and port pointed at the test app.
 */
final class FlaggerWebhooks {

    static final String PRE_ROLLOUT = "pre-rollout";
    static final String CONFIRM_PROMOTION = "confirm-promotion";
    static final String ROLLBACK = "rollback";
    /** Flagger calls pre-rollout and confirm-promotion in this phase; rollback in the canary's current one. */
    static final String PROGRESSING = "Progressing";

    private static final Path CANARY = Path.of("..", "k8s", "flagger", "canary.yaml").toAbsolutePath().normalize();
    /** Kubernetes' {@code rand.SafeEncodeString} alphabet, in which Flagger's checksums are written. */
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private record Hook(String path, Map<String, String> metadata) {
    }

    private final JsonNode canary;
    private final Map<String, Hook> hooks;
    private final Api app;

    private FlaggerWebhooks(JsonNode canary, Map<String, Hook> hooks, Api app) {
        this.canary = canary;
        this.hooks = hooks;
        this.app = app;
    }

    /** The example Canary's webhooks; {@link #at} points them at an app. */
    static FlaggerWebhooks read() {
        try {
            JsonNode canary = YAML.readTree(CANARY.toFile());
            Map<String, Hook> hooks = new HashMap<>();
            for (JsonNode webhook : canary.path("spec").path("analysis").path("webhooks")) {
                Map<String, String> metadata = new TreeMap<>();
                webhook.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
                URI url = URI.create(webhook.path("url").asText());
                hooks.put(webhook.path("type").asText(), new Hook(url.getRawPath(), metadata));
            }
            return new FlaggerWebhooks(canary, hooks, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FlaggerWebhooks at(Api target) {
        return new FlaggerWebhooks(canary, hooks, target.withToken(null));
    }

    String name() {
        return canary.path("metadata").path("name").asText();
    }

    /** The write token the pre-rollout hook carries. */
    String token() {
        return hooks.get(PRE_ROLLOUT).metadata().get("token");
    }

    /** The selector label value of the target's pods, which the canary's events carry as their revision. */
    String canaryRevision() {
        return canary.path("spec").path("targetRef").path("name").asText();
    }

    /** Flagger's primary Deployment relabels its pods {@code <value>-primary}. */
    String primaryRevision() {
        return canaryRevision() + "-primary";
    }

    /** Calls the Canary's hook of {@code type} for the run with {@code checksum}. */
    HttpResponse<String> call(String type, String checksum) {
        Hook hook = hooks.get(type);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", name());
        payload.put("namespace", canary.path("metadata").path("namespace").asText());
        payload.put("phase", PROGRESSING);
        payload.put("checksum", checksum);
        if (!hook.metadata().isEmpty()) {
            payload.put("metadata", hook.metadata());
        }
        try {
            return app.send("POST", hook.path(), Api.JSON.writeValueAsString(payload));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A checksum as Flagger writes one ({@code ComputeHash} in its {@code pkg/canary/spec.go}):
     * FNV-32a of the run's specification, its decimal digits in {@link #SAFE_ALPHABET}.
     */
    static String checksum(String runSpec) {
        int hash = 0x811c9dc5;
        for (byte b : runSpec.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x01000193;
        }
        StringBuilder out = new StringBuilder();
        for (char digit : Integer.toUnsignedString(hash).toCharArray()) {
            out.append(SAFE_ALPHABET.charAt(digit % SAFE_ALPHABET.length()));
        }
        return out.toString();
    }
}
