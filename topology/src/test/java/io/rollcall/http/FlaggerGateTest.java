package io.rollcall.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.query.Answer;
import io.rollcall.query.RolloutStatusView;
import io.rollcall.query.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decision of a run's rollout as the status code Flagger reads from each gate. */
class FlaggerGateTest {

    private static final Served HERE = Served.active("localhost:8080");

    private static Answer<RolloutStatusView> local(String decision) {
        return new Answer.Local<>(new RolloutStatusView("checkout", "checkout.shop-7b6f8d9c4", "RUNNING", decision,
                null, 0, 0, null, null, HERE.instance(), false, 0), HERE);
    }

    private static Answer<RolloutStatusView> forwarded(String decision) {
        return new Answer.Forwarded<>(200, """
                {"service": "checkout", "rolloutId": "checkout.shop-7b6f8d9c4", "decision": "%s",
                 "latestVerdict": {"reason": "canary error rate 31 %% > 1 %%"}}""".formatted(decision), "other:8080");
    }

    private static FlaggerGate.Reply reply(FlaggerGate gate, Answer<RolloutStatusView> answer) {
        return gate.reply("checkout", "checkout.shop-7b6f8d9c4", answer);
    }

    @Test
    void promotionPassesOnPromote() {
        assertThat(reply(FlaggerGate.PROMOTION, local("PROMOTE")).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PENDING", "CONTINUE", "HOLD", "ROLLBACK"})
    void promotionHoldsOnAnyOtherDecisionWithANonSuccessStatus(String decision) {
        FlaggerGate.Reply reply = reply(FlaggerGate.PROMOTION, local(decision));
        assertThat(reply.status()).isGreaterThan(202).isLessThan(500);
        assertThat(reply.body()).isEqualTo(new FlaggerGate.View("confirm-promotion", "checkout",
                "checkout.shop-7b6f8d9c4", false, decision, null));
    }

    @Test
    void rollbackPassesOnRollback() {
        assertThat(reply(FlaggerGate.ROLLBACK, local("ROLLBACK")).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PENDING", "CONTINUE", "HOLD", "PROMOTE"})
    void rollbackStaysClosedOnAnyOtherDecision(String decision) {
        assertThat(reply(FlaggerGate.ROLLBACK, local(decision)).status()).isEqualTo(FlaggerGate.CLOSED);
    }

    @Test
    void aDecisionReadOnAnotherInstanceCountsLikeALocalOneWithItsReason() {
        FlaggerGate.Reply reply = reply(FlaggerGate.ROLLBACK, forwarded("ROLLBACK"));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(((FlaggerGate.View) reply.body()).reason()).isEqualTo("canary error rate 31 % > 1 %");
    }

    @Test
    void anUnknownRolloutIsNotFound() {
        assertThat(reply(FlaggerGate.PROMOTION, new Answer.NotFound<>(HERE)).status()).isEqualTo(404);
    }

    @Test
    void aRolloutThatCannotBeReadNowIsUnavailable() {
        assertThat(reply(FlaggerGate.ROLLBACK, new Answer.NotReady<>("rebalancing")).status()).isEqualTo(503);
    }

    @Test
    void anotherInstancesErrorIsPassedOnAsANonSuccess() {
        FlaggerGate.Reply reply = reply(FlaggerGate.PROMOTION,
                new Answer.Forwarded<>(404, "{\"status\":404,\"error\":\"not found\"}", "other:8080"));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).isInstanceOf(ApiError.class);
    }

    @Test
    void onlyPromoteAndRollbackEndARollout() {
        assertThat(FlaggerGate.read(local("PROMOTE"))).hasValueSatisfying(r -> assertThat(r.terminal()).isTrue());
        assertThat(FlaggerGate.read(forwarded("ROLLBACK"))).hasValueSatisfying(r -> assertThat(r.terminal()).isTrue());
        assertThat(FlaggerGate.read(local("HOLD"))).hasValueSatisfying(r -> assertThat(r.terminal()).isFalse());
        assertThat(FlaggerGate.read(new Answer.NotFound<>(HERE))).isEmpty();
    }
}
