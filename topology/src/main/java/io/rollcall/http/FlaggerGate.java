package io.rollcall.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.query.Answer;
import io.rollcall.query.Json;
import io.rollcall.query.RolloutStatusView;
import io.rollcall.schema.avro.Decision;
import java.util.Optional;

/**
 * A Flagger webhook that passes on one decision of the run's rollout. Flagger counts a status
 * up to 202 as success and anything else as failure ({@code callWebhook} in its
 * {@code pkg/controller/webhook.go}); a gate answers 200 only on its decision. While the
 * rollout decides otherwise it answers 409: a 4xx, because Flagger's HTTP client
 * (go-retryablehttp, with the webhook's {@code retries}) retries 5xx at once, and "not yet"
 * is asked again at the next interval anyway. 503 is kept for "cannot read it now", where such
 * a retry helps.
 */
enum FlaggerGate {

    /** {@code confirm-promotion}: Flagger promotes only after this passes. */
    PROMOTION("confirm-promotion", Decision.PROMOTE),
    /** {@code rollback}: Flagger rolls the canary back as soon as this passes. */
    ROLLBACK("rollback", Decision.ROLLBACK);

    /** The status of a gate while the rollout's decision is another one. */
    static final int CLOSED = 409;

    /** What a gate answers: {@code open} says whether it passed, {@code decision} why. */
    record View(String hook, String service, String rolloutId, boolean open, String decision, String reason) {
    }

    /** A reply: its status, and a {@link View} or (when the rollout could not be read) an {@link ApiError}. */
    record Reply(int status, Object body) {

        static Reply error(int status, String message) {
            return new Reply(status, new ApiError(status, message));
        }
    }

    /** A rollout's decision as read, here or on another instance, with the latest verdict's reason. */
    record Read(String decision, String reason) {

        boolean terminal() {
            return decision.equals(Decision.PROMOTE.name()) || decision.equals(Decision.ROLLBACK.name());
        }
    }

    private final String hook;
    private final Decision decision;

    FlaggerGate(String hook, Decision decision) {
        this.hook = hook;
        this.decision = decision;
    }

    String hook() {
        return hook;
    }

    /** The decision in a status answer; empty when the answer holds none (not found, not readable). */
    static Optional<Read> read(Answer<RolloutStatusView> answer) {
        if (answer instanceof Answer.Local<RolloutStatusView> local) {
            RolloutStatusView status = local.value();
            return Optional.of(new Read(status.decision(),
                    status.latestVerdict() == null ? null : status.latestVerdict().reason()));
        }
        if (answer instanceof Answer.Forwarded<RolloutStatusView> forwarded && forwarded.status() == 200) {
            JsonNode status = Json.parse(forwarded.body());
            JsonNode reason = status.path("latestVerdict").path("reason");
            return Optional.of(new Read(status.path("decision").asText(), reason.isTextual() ? reason.asText() : null));
        }
        return Optional.empty();
    }

    /** The reply to Flagger, from the status of the run's rollout as its router answered it. */
    Reply reply(String service, String rolloutId, Answer<RolloutStatusView> answer) {
        Optional<Read> read = read(answer);
        if (read.isPresent()) {
            boolean open = decision.name().equals(read.get().decision());
            return new Reply(open ? 200 : CLOSED,
                    new View(hook, service, rolloutId, open, read.get().decision(), read.get().reason()));
        }
        if (answer instanceof Answer.Forwarded<RolloutStatusView> forwarded) {
            return Reply.error(forwarded.status(), "the instance judging the rollout answered "
                    + forwarded.status() + ": " + Params.abbreviate(forwarded.body(), 200));
        }
        if (answer instanceof Answer.NotReady<RolloutStatusView> notReady) {
            return Reply.error(503, Replies.notReadyMessage(notReady.reason()));
        }
        return Reply.error(404, "rollout '" + rolloutId + "' of service '" + service
                + "' not found: its pre-rollout hook has not registered it");
    }
}
