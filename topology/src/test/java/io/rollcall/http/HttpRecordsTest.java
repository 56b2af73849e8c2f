package io.rollcall.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.app.Json;
import io.rollcall.query.InstanceView;
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
