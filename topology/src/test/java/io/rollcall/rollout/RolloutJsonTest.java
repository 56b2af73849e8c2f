package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.SloKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RolloutJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static RolloutSpec parse(String body) throws Exception {
        return RolloutJson.parseSpec(JSON.readTree(body), "checkout", NOW);
    }

    private static String field(String body) {
        try {
            parse(body);
            throw new AssertionError("accepted: " + body);
        } catch (RolloutJson.SpecException e) {
            return e.field();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fillsDefaultsAndReadsDurationsInTextOrMilliseconds() throws Exception {
        RolloutSpec spec = parse("""
                {"baselineRevision": "v1", "canaryRevision": "v2", "analysisWindow": "30s",
                 "slos": [{"kind": "latency", "quantile": 0.99, "threshold": 250},
                          {"kind": "ERROR_RATE", "threshold": 0.01, "maxRelativeIncrease": 0.5}]}""");

        assertThat(spec.getService()).isEqualTo("checkout");
        assertThat(spec.getRolloutId()).isEqualTo("checkout-" + NOW.toEpochMilli());
        assertThat(spec.getStartedAt()).isEqualTo(NOW);
        assertThat(spec.getAnalysisWindow()).isEqualTo(30_000);
        assertThat(spec.getMetric()).isEqualTo("http.server.requests");
        assertThat(spec.getMinSamples()).isEqualTo(50);
        assertThat(spec.getConfidence()).isEqualTo(0.95);
        assertThat(spec.getSlos().get(0).getKind()).isEqualTo(SloKind.LATENCY);
        assertThat(spec.getSlos().get(1).getMaxRelativeIncrease()).isEqualTo(0.5);
        assertThat(parse("""
                {"baselineRevision": "v1", "canaryRevision": "v2", "analysisWindow": 15000,
                 "startedAt": "2026-11-26T09:00:00Z", "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}""")
                .getAnalysisWindow()).isEqualTo(15_000);
    }

    private static final String REGISTRATION = """
            {"rolloutId": "checkout-abc", "baselineRevision": "v1", "canaryRevision": "v2",
             "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}""";

    @Test
    void aRepeatedRegistrationIsTheSameRolloutWhateverItsArrivalTime() throws Exception {
        RolloutSpec first = parse(REGISTRATION);
        RolloutSpec again = RolloutJson.parseSpec(JSON.readTree(REGISTRATION), "checkout", NOW.plusSeconds(7));

        assertThat(RolloutJson.sameRollout(first, again, false)).isTrue();
    }

    @Test
    void aRegistrationWithOtherSettingsOrAnotherIdIsADifferentRollout() throws Exception {
        RolloutSpec first = parse(REGISTRATION);

        assertThat(RolloutJson.sameRollout(first, parse(REGISTRATION.replace("0.01", "0.02")), false)).isFalse();
        assertThat(RolloutJson.sameRollout(first, parse(REGISTRATION.replace("checkout-abc", "checkout-def")), false))
                .isFalse();
    }

    @Test
    void aRegistrationNamingAnotherStartTimeMovesTheRollout() throws Exception {
        RolloutSpec first = parse(REGISTRATION);
        RolloutSpec moved = parse(REGISTRATION.replaceFirst("\\{", "{\"startedAt\": \"2026-11-26T10:05:00Z\", "));

        assertThat(RolloutJson.sameRollout(first, moved, true)).isFalse();
    }

    @Test
    void readsSlosInTheirTextFormWithTheCommandLinesParser() throws Exception {
        RolloutSpec spec = parse("""
                {"baselineRevision": "v1", "canaryRevision": "v2", "slos": ["p95<=+10%", "p99<=300ms+20%", "errors<=1%"]}""");

        assertThat(spec.getSlos()).containsExactly(SloRule.parse("p95<=+10%").toAvro(),
                SloRule.parse("p99<=300ms+20%").toAvro(), SloRule.parse("errors<=1%").toAvro());
    }

    @Test
    void namesTheSloWhoseTextDoesNotParse() {
        assertThat(field("""
                {"baselineRevision": "v1", "canaryRevision": "v2", "slos": ["errors<=1%", "p95 below 3"]}"""))
                .isEqualTo("slos[1]");
    }

    @Test
    void namesTheOffendingFieldOfABadSpec() {
        String slos = "\"slos\": [{\"kind\": \"ERROR_RATE\", \"threshold\": 0.01}]";
        assertThat(field("{\"canaryRevision\": \"v2\", " + slos + "}")).isEqualTo("baselineRevision");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v1\", " + slos + "}"))
                .isEqualTo("canaryRevision");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", \"service\": \"cart\", " + slos + "}"))
                .isEqualTo("service");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", \"windw\": 5, " + slos + "}"))
                .isEqualTo("windw");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", \"analysisWindow\": \"soon\", "
                + slos + "}")).isEqualTo("analysisWindow");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", \"analysisWindow\": 10, "
                + slos + "}")).isEqualTo("analysisWindow");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", \"confidence\": 1.5, "
                + slos + "}")).isEqualTo("confidence");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\"}")).isEqualTo("slos");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", \"slos\": []}")).isEqualTo("slos");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", \"slos\": [{\"kind\": \"P95\"}]}"))
                .isEqualTo("slos[0].kind");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", "
                + "\"slos\": [{\"kind\": \"ERROR_RATE\", \"threshold\": 5}]}")).isEqualTo("slos[0].threshold");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", "
                + "\"slos\": [{\"kind\": \"ERROR_RATE\"}]}")).isEqualTo("slos[0].threshold");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", "
                + "\"slos\": [{\"kind\": \"LATENCY\", \"quantile\": 95, \"threshold\": 300}]}")).isEqualTo("slos[0].quantile");
        assertThat(field("{\"baselineRevision\": \"v1\", \"canaryRevision\": \"v2\", "
                + "\"slos\": [{\"kind\": \"LATENCY\", \"quantile\": 0.95, \"thresold\": 300}]}")).isEqualTo("slos[0].thresold");
        assertThat(field("[1, 2]")).isEqualTo("body");
    }

    @Test
    void describesSlosTheWayPeopleWriteThem() throws Exception {
        JsonNode shown = JSON.valueToTree(io.rollcall.query.SpecView.of(parse("""
                {"baselineRevision": "v1", "canaryRevision": "v2",
                 "slos": [{"kind": "LATENCY", "quantile": 0.95, "threshold": 1200, "maxRelativeIncrease": 0.2}]}""")));
        assertThat(shown.get("slos").get(0).get("description").asText()).isEqualTo("p95 <= 1,200 ms and <= baseline +20 %");
    }
}
