package io.rollcall.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.query.Json;
import io.rollcall.query.InstanceView;
import io.rollcall.query.SpecView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON of the answers the routes build themselves; probes, the CLI and the dashboard read these names. */
class HttpRecordsTest {

    private static final ObjectMapper JSON = Json.mapper();

    private static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    @Test
    void anErrorHasItsStatusAndMessage() throws Exception {
        assertThat(json(new ApiError(404, "no such endpoint: GET /x"))).isEqualTo(
                "{\"status\":404,\"error\":\"no such endpoint: GET /x\"}");
    }

    @Test
    void aRefusedSpecAlsoNamesTheField() throws Exception {
        assertThat(json(new RolloutRoutes.SpecError(400, "slos: required", "slos"))).isEqualTo(
                "{\"status\":400,\"error\":\"slos: required\",\"field\":\"slos\"}");
    }

    @Test
    void anAcceptedWriteShowsTheSpecAsItWillBeJudged() throws Exception {
        var spec = new SpecView("checkout-1", "checkout", "v1", "v2", "http.server.requests",
                List.of(new SpecView.SloView("ERROR_RATE", null, 0.01, null, "error rate <= 1 %")),
                10_000, 50, 2, 6, 0.95, "2026-11-26T10:00:00Z");
        assertThat(json(new RolloutRoutes.Accepted(spec))).isEqualTo("""
                {"accepted":{"rolloutId":"checkout-1","service":"checkout","baselineRevision":"v1",\
                "canaryRevision":"v2","metric":"http.server.requests","slos":[{"kind":"ERROR_RATE","quantile":null,\
                "threshold":0.01,"maxRelativeIncrease":null,"description":"error rate <= 1 %"}],\
                "analysisWindowMs":10000,"minSamples":50,"failureLimit":2,"successWindows":6,"confidence":0.95,\
                "startedAt":"2026-11-26T10:00:00Z"}}""");
    }

    @Test
    void aRemovalNamesTheService() throws Exception {
        assertThat(json(new RolloutRoutes.Removed("checkout"))).isEqualTo("{\"removed\":\"checkout\"}");
    }

    @Test
    void aProbeAnswerHasStatusAndStreamsState() throws Exception {
        assertThat(json(new HealthRoutes.Health("NOT_READY", "REBALANCING"))).isEqualTo(
                "{\"status\":\"NOT_READY\",\"state\":\"REBALANCING\"}");
    }

    @Test
    void theInstancesAnswerListsEachWithItsPartitions() throws Exception {
        var instances = new InstanceRoutes.Instances("10.0.0.1:8080", "RUNNING",
                List.of(new InstanceView("10.0.0.1:8080", true, List.of(0, 2), List.of(1))));
        assertThat(json(instances)).isEqualTo("""
                {"servedBy":"10.0.0.1:8080","state":"RUNNING","instances":[\
                {"instance":"10.0.0.1:8080","self":true,"activePartitions":[0,2],"standbyPartitions":[1]}]}""");
    }
}
