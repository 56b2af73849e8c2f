package io.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.rollout.RoleStats;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON of the rollout answers, field by field: the dashboard, the CLI, Argo Rollouts and
 * the Kafka Connect sink read these names, and a missing value is an explicit null.
 */
class RolloutViewsTest {

    private static final ObjectMapper JSON = Json.mapper();

    static final RolloutSpec SPEC = spec().build();
    static final RolloutVerdict VERDICT = verdict().build();

    /** A new builder each time: Avro's copying builders refuse nested classes it has not been told to trust. */
    static RolloutSpec.Builder spec() {
        return RolloutSpec.newBuilder()
                .setRolloutId("checkout-1").setService("checkout")
                .setBaselineRevision("v1").setCanaryRevision("v2")
                .setAnalysisWindow(10_000).setStartedAt(Instant.parse("2026-11-26T10:00:00Z"))
                .setSlos(List.of(
                        Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(0.95).setThreshold(300.0).build(),
                        Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(0.01).setMaxRelativeIncrease(0.5)
                                .build()));
    }

    static RolloutVerdict.Builder verdict() {
        return RolloutVerdict.newBuilder()
                .setRolloutId("checkout-1").setService("checkout").setDecision(Decision.ROLLBACK).setWindow(3)
                .setWindowStart(Instant.parse("2026-11-26T10:00:30Z")).setWindowEnd(Instant.parse("2026-11-26T10:00:40Z"))
                .setEarly(true).setDecidedAt(Instant.parse("2026-11-26T10:00:35.250Z"))
                .setPassingWindows(0).setFailingWindows(2)
                .setResults(List.of(SloResult.newBuilder()
                        .setSlo("error rate <= 1 %").setKind(SloKind.ERROR_RATE).setThreshold(0.01)
                        .setCanaryValue(0.4).setCanarySamples(120).setBaselineSamples(0)
                        .setOutcome(SloOutcome.FAIL).setReason("canary error rate 40 % > 1 %").build()))
                .setReason("rolled back");
    }

    private static final String SPEC_JSON = """
            {"rolloutId":"checkout-1","service":"checkout","baselineRevision":"v1","canaryRevision":"v2",\
            "metric":"http.server.requests","slos":[\
            {"kind":"LATENCY","quantile":0.95,"threshold":300.0,"maxRelativeIncrease":null,"description":"p95 <= 300 ms"},\
            {"kind":"ERROR_RATE","quantile":null,"threshold":0.01,"maxRelativeIncrease":0.5,\
            "description":"error rate <= 1 % and <= baseline +50 %"}],\
            "analysisWindowMs":10000,"minSamples":50,"failureLimit":2,"successWindows":6,"confidence":0.95,\
            "startedAt":"2026-11-26T10:00:00Z"}""";

    private static final String VERDICT_JSON = """
            {"rolloutId":"checkout-1","service":"checkout","decision":"ROLLBACK","window":3,\
            "windowStart":"2026-11-26T10:00:30Z","windowEnd":"2026-11-26T10:00:40Z","early":true,\
            "decidedAt":"2026-11-26T10:00:35.250Z","passingWindows":0,"failingWindows":2,"results":[\
            {"slo":"error rate <= 1 %","outcome":"FAIL","canaryValue":0.4,"baselineValue":null,"threshold":0.01,\
            "maxRelativeIncrease":null,"canarySamples":120,"baselineSamples":0,"reason":"canary error rate 40 % > 1 %"}],\
            "reason":"rolled back"}""";

    private static final String EMPTY_ROLE_JSON = """
            {"requests":0,"errors":0,"errorRate":null,"p50":null,"p95":null,"p99":null}""";

    private static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    @Test
    void aSpecShowsItsWindowInMillisecondsAndEachSloInWords() throws Exception {
        assertThat(json(SpecView.of(SPEC))).isEqualTo(SPEC_JSON);
    }

    @Test
    void aVerdictShowsTimesInIso8601AndMissingValuesAsNull() throws Exception {
        assertThat(json(VerdictView.of(VERDICT))).isEqualTo(VERDICT_JSON);
    }

    @Test
    void aRoleWithoutRequestsHasNullRatesAndLatencies() throws Exception {
        assertThat(json(RolloutStatusView.RoleView.of(RoleStats.empty()))).isEqualTo(EMPTY_ROLE_JSON);
    }

    @Test
    void aRoleWithRequestsHasItsErrorRateAndLatencyQuantiles() throws Exception {
        RoleStats stats = RoleStats.empty().add(100, false).add(200, true).add(300, false).add(400, false);
        assertThat(json(RolloutStatusView.RoleView.of(stats))).isEqualTo("""
                {"requests":4,"errors":1,"errorRate":0.25,\
                "p50":198.3684859812457,"p95":301.913436521875,"p99":301.913436521875}""");
    }

    @Test
    void aLiveWindowShowsItsBoundsAndBothRoles() throws Exception {
        var window = RolloutStatusView.LiveWindow.of(2, Instant.parse("2026-11-26T10:00:20Z").toEpochMilli(), 10_000,
                RoleStats.empty(), RoleStats.empty());
        assertThat(json(window)).isEqualTo("""
                {"index":2,"start":"2026-11-26T10:00:20Z","end":"2026-11-26T10:00:30Z",\
                "canary":%s,"baseline":%s}""".formatted(EMPTY_ROLE_JSON, EMPTY_ROLE_JSON));
    }

    @Test
    void aStatusNestsSpecWindowAndVerdictAndSaysWhoServedIt() throws Exception {
        var window = RolloutStatusView.LiveWindow.of(4, Instant.parse("2026-11-26T10:00:40Z").toEpochMilli(), 10_000,
                RoleStats.empty(), RoleStats.empty());
        var status = new RolloutStatusView("checkout", "checkout-1", "RUNNING", "CONTINUE", SpecView.of(SPEC), 3, 1,
                window, VerdictView.of(VERDICT), "10.0.0.1:8080", true, 12);
        assertThat(json(status)).isEqualTo("""
                {"service":"checkout","rolloutId":"checkout-1","status":"RUNNING","decision":"CONTINUE","spec":%s,\
                "passingWindows":3,"failingWindows":1,"window":%s,"latestVerdict":%s,\
                "servedBy":"10.0.0.1:8080","standby":true,"lagRecords":12}"""
                .formatted(SPEC_JSON, json(window), VERDICT_JSON));
    }

    @Test
    void aRemovedRolloutHasNullSpecWindowAndVerdict() throws Exception {
        var status = new RolloutStatusView("checkout", "checkout-1", "REMOVED", "PENDING", null, 0, 0, null, null,
                "10.0.0.1:8080", false, 0);
        assertThat(json(status)).isEqualTo("""
                {"service":"checkout","rolloutId":"checkout-1","status":"REMOVED","decision":"PENDING","spec":null,\
                "passingWindows":0,"failingWindows":0,"window":null,"latestVerdict":null,\
                "servedBy":"10.0.0.1:8080","standby":false,"lagRecords":0}""");
    }

    @Test
    void verdictsAreListedWithWhoServedThem() throws Exception {
        var verdicts = new VerdictsView("checkout", List.of(VerdictView.of(VERDICT)), "10.0.0.1:8080", false, 0);
        assertThat(json(verdicts)).isEqualTo("""
                {"service":"checkout","verdicts":[%s],"servedBy":"10.0.0.1:8080","standby":false,"lagRecords":0}"""
                .formatted(VERDICT_JSON));
    }

    @Test
    void theListRelaysAnOwnersAnswerAsItIsAndNamesAServiceItCouldNotRead() throws Exception {
        var rollouts = new RolloutsView(List.of(
                new RolloutsView.Relayed(JSON.readTree("{\"service\":\"cart\",\"addedLater\":[1]}")),
                new RolloutsView.Unavailable("search", "status not available now; ask again")), "10.0.0.1:8080");
        assertThat(json(rollouts)).isEqualTo("""
                {"rollouts":[{"service":"cart","addedLater":[1]},\
                {"service":"search","error":"status not available now; ask again"}],"servedBy":"10.0.0.1:8080"}""");
    }
}
