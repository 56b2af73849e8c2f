package io.rollcall.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.query.Json;
import io.rollcall.rollout.RolloutJson;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.SloKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Flagger's webhook payload as the rollout spec it registers. */
class FlaggerHookTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String SLOS = "[{\\\"kind\\\": \\\"ERROR_RATE\\\", \\\"threshold\\\": 0.01}]";

    /** A payload as Flagger's {@code CallWebhook} marshals {@code CanaryWebhookPayload}. */
    private static FlaggerHook hook(String checksum, String metadata) {
        return FlaggerHook.parse(Json.parse("""
                {"name": "checkout", "namespace": "shop", "phase": "Progressing", "checksum": "%s",
                 "metadata": {%s}}""".formatted(checksum, metadata)));
    }

    private static RolloutSpec spec(FlaggerHook hook) {
        try {
            return RolloutJson.parseSpec(hook.specBody(), hook.service(), NOW);
        } catch (RolloutJson.SpecException e) {
            throw hook.inMetadata(e);
        }
    }

    @Test
    void theRolloutIdIsTheCanaryAndItsChecksum() {
        assertThat(spec(hook("7b6f8d9c4", "\"slos\": \"" + SLOS + "\"")).getRolloutId())
                .isEqualTo("checkout.shop-7b6f8d9c4");
    }

    @Test
    void anotherChecksumIsAnotherRollout() {
        assertThat(hook("7b6f8d9c4", "").rolloutId()).isNotEqualTo(hook("5c4d2b8x9", "").rolloutId());
    }

    @Test
    void theServiceAndRevisionsDefaultToTheSelectorLabelsOfFlaggersDeployments() {
        RolloutSpec spec = spec(hook("7b6f8d9c4", "\"slos\": \"" + SLOS + "\""));
        assertThat(spec.getService()).isEqualTo("checkout");
        assertThat(spec.getCanaryRevision()).isEqualTo("checkout");
        assertThat(spec.getBaselineRevision()).isEqualTo("checkout-primary");
    }

    @Test
    void theMetadataNamesServiceAndRevisions() {
        RolloutSpec spec = spec(hook("7b6f8d9c4", """
                "service": "checkout-api", "canaryRevision": "v2", "baselineRevision": "v1", "slos": "%s"
                """.formatted(SLOS)));
        assertThat(spec.getService()).isEqualTo("checkout-api");
        assertThat(spec.getCanaryRevision()).isEqualTo("v2");
        assertThat(spec.getBaselineRevision()).isEqualTo("v1");
    }

    @Test
    void aCanaryRevisionGivenAloneHasItsPrimaryAsBaseline() {
        RolloutSpec spec = spec(hook("7b6f8d9c4", "\"canaryRevision\": \"checkout-web\", \"slos\": \"" + SLOS + "\""));
        assertThat(spec.getBaselineRevision()).isEqualTo("checkout-web-primary");
    }

    @Test
    void metadataStringsBecomeTheSpecsNumbersDurationsAndSlos() {
        RolloutSpec spec = spec(hook("7b6f8d9c4", """
                "analysisWindow": "10s", "minSamples": "50", "failureLimit": "2", "successWindows": "3",
                "confidence": "0.95", "metric": "http.server.requests",
                "slos": "[{\\"kind\\": \\"LATENCY\\", \\"quantile\\": 0.95, \\"threshold\\": 300}]"
                """));
        assertThat(spec.getAnalysisWindow()).isEqualTo(10_000);
        assertThat(spec.getMinSamples()).isEqualTo(50);
        assertThat(spec.getFailureLimit()).isEqualTo(2);
        assertThat(spec.getSuccessWindows()).isEqualTo(3);
        assertThat(spec.getConfidence()).isEqualTo(0.95);
        assertThat(spec.getSlos().get(0).getKind()).isEqualTo(SloKind.LATENCY);
        assertThat(spec.getSlos().get(0).getQuantile()).isEqualTo(0.95);
    }

    @Test
    void theTokenIsNotPartOfTheSpec() {
        FlaggerHook hook = hook("7b6f8d9c4", "\"token\": \"secret-token-0123456789\", \"slos\": \"" + SLOS + "\"");
        assertThat(hook.token()).isEqualTo("secret-token-0123456789");
        assertThat(hook.specBody().has("token")).isFalse();
        assertThat(spec(hook).getRolloutId()).isEqualTo("checkout.shop-7b6f8d9c4");
    }

    @Test
    void aBadSloIsRefusedNamingItsMetadataField() {
        assertThatThrownBy(() -> spec(hook("7b6f8d9c4",
                "\"slos\": \"[{\\\"kind\\\": \\\"LATENCY\\\", \\\"threshold\\\": 300}]\"")))
                .isInstanceOf(RolloutJson.SpecException.class)
                .extracting(e -> ((RolloutJson.SpecException) e).field()).isEqualTo("metadata.slos[0].quantile");
    }

    @Test
    void slosThatAreNotJsonAreRefusedNamingTheField() {
        assertThatThrownBy(() -> spec(hook("7b6f8d9c4", "\"slos\": \"error rate below 1 %\"")))
                .isInstanceOf(RolloutJson.SpecException.class)
                .hasMessageStartingWith("metadata.slos: must be a JSON list of SLOs as text");
    }

    @Test
    void missingSlosAreRefusedAsAMetadataField() {
        assertThatThrownBy(() -> spec(hook("7b6f8d9c4", "")))
                .isInstanceOf(RolloutJson.SpecException.class)
                .hasMessageStartingWith("metadata.slos: required");
    }

    @Test
    void aNumberThatIsNotOneIsRefusedNamingTheField() {
        assertThatThrownBy(() -> spec(hook("7b6f8d9c4", "\"minSamples\": \"many\", \"slos\": \"" + SLOS + "\"")))
                .isInstanceOf(RolloutJson.SpecException.class)
                .hasMessage("metadata.minSamples: must be an integer");
    }

    @Test
    void aNumberInExponentNotationIsNotOneOfTheMetadatasNumbers() {
        assertThatThrownBy(() -> spec(hook("7b6f8d9c4", "\"minSamples\": \"1e999999999\", \"slos\": \"" + SLOS + "\"")))
                .isInstanceOf(RolloutJson.SpecException.class)
                .hasMessage("metadata.minSamples: must be an integer");
    }

    @Test
    void aMisspelledMetadataKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> spec(hook("7b6f8d9c4", "\"minSample\": \"50\", \"slos\": \"" + SLOS + "\"")))
                .isInstanceOf(RolloutJson.SpecException.class)
                .hasMessageStartingWith("metadata.minSample: unknown field");
    }

    @Test
    void aFixedRolloutIdIsRefusedBecauseEachRunHasItsOwn() {
        assertThatThrownBy(() -> spec(hook("7b6f8d9c4", "\"rolloutId\": \"r1\", \"slos\": \"" + SLOS + "\"")))
                .isInstanceOf(RolloutJson.SpecException.class)
                .hasMessageStartingWith("metadata.rolloutId: set by rollcall for each canary run");
    }

    @Test
    void aPayloadWithoutChecksumIsABadRequest() {
        assertThatThrownBy(() -> FlaggerHook.parse(Json.parse("{\"name\": \"checkout\", \"namespace\": \"shop\"}")))
                .isInstanceOf(BadRequest.class)
                .hasMessageStartingWith("checksum: required");
    }

    @Test
    void metadataValuesMustBeStringsAsInFlaggersCrd() {
        assertThatThrownBy(() -> FlaggerHook.parse(Json.parse(
                "{\"name\": \"checkout\", \"checksum\": \"7b6f8d9c4\", \"metadata\": {\"minSamples\": 50}}")))
                .isInstanceOf(BadRequest.class)
                .hasMessage("metadata.minSamples: must be a string");
    }
}
