package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.app.RollcallApp;
import io.rollcall.query.Answer;
import io.rollcall.schema.SeriesId;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What an app on a secured cluster must manage, shared by the tests of each way of securing it. */
final class SecuredAppChecks {

    private SecuredAppChecks() {
    }

    /** A series' aggregate counts every event produced for it: Streams consumed and produced. */
    static void aggregatesAsProduced(RollcallApp app, GroundTruth truth) {
        long someId = truth.byId().keySet().iterator().next();
        Answer<Aggregate> answer = app.aggregate(SeriesId.of(someId));
        assertThat(answer).isInstanceOf(Answer.Local.class);
        assertThat(((Answer.Local<Aggregate>) answer).value().count()).isEqualTo(truth.byId().get(someId).count);
    }

    /** A spec is written (rollcall's producer), read back (the global consumer) and judged (a HOLD verdict). */
    static void acceptsAndJudgesARollout(Api api) {
        HttpResponse<String> put = api.put("/api/v1/rollouts/checkout", """
                {"baselineRevision": "v1", "canaryRevision": "v2", "analysisWindow": "1s",
                 "slos": [{"kind": "ERROR_RATE", "threshold": 0.01}]}""");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Api.parse(api.get("/api/v1/rollouts/checkout").body()).path("decision").asText())
                .as("a HOLD verdict, published and read back").isEqualTo("HOLD"));
    }
}
