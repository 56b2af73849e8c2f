package io.rollcall.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rollcall.query.ReadOptions;
import io.rollcall.rollout.RolloutJson;
import io.rollcall.schema.avro.RolloutSpec;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /api/v1/flagger}: Flagger's webhooks backed by rollcall's verdicts. {@code pre-rollout}
 * registers the canary run's rollout, {@code confirm-promotion} and {@code rollback} pass on its
 * decision (see {@link FlaggerHook} for the payload, {@link FlaggerGate} for the answers).
 */
final class FlaggerRoutes implements Routes {

    static final String PATH = "/api/v1/flagger/";

    private final Supplier<HttpApi.Services> services;
    private final WriteAuth auth;
    private final Clock clock;

    FlaggerRoutes(Supplier<HttpApi.Services> services, WriteAuth auth, Clock clock) {
        this.services = services;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH + "pre-rollout", this::preRollout);
        for (FlaggerGate gate : FlaggerGate.values()) {
            routes.post(PATH + gate.hook(), ctx -> gate(ctx, gate));
        }
    }

    private void preRollout(Context ctx) {
        FlaggerHook hook = FlaggerHook.parse(Params.jsonBody(ctx));
        auth.authorize(hook.token(), "metadata." + FlaggerHook.TOKEN);
        RolloutSpec spec;
        try {
            spec = RolloutJson.parseSpec(hook.specBody(), hook.service(), clock.instant());
        } catch (RolloutJson.SpecException e) {
            throw hook.inMetadata(e);
        }
        RolloutRoutes.register(ctx, services.get(), spec, false);
    }

    /**
     * Reads the run's rollout through the routed status read, whose forwarding is a GET of
     * the status path: the webhook's POST itself is never forwarded.
     */
    private void gate(Context ctx, FlaggerGate gate) {
        FlaggerHook hook = FlaggerHook.parse(Params.jsonBody(ctx));
        String service = hook.service();
        String rolloutId = hook.rolloutId();
        String statusPath = HttpApi.ROLLOUTS_PATH + Params.encode(service) + "?" + RolloutRoutes.ROLLOUT_ID + "="
                + Params.encode(rolloutId);
        FlaggerGate.Reply reply = gate.reply(service, rolloutId, services.get().rollouts()
                .status(service, Optional.of(rolloutId), ReadOptions.DEFAULT, statusPath));
        if (reply.status() == 503) {
            ctx.header("Retry-After", Replies.RETRY_AFTER_SECONDS);
        }
        ctx.status(reply.status()).json(reply.body());
    }
}
