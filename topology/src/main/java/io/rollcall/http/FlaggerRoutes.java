package io.rollcall.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rollcall.query.Answer;
import io.rollcall.query.ReadOptions;
import io.rollcall.query.RolloutStatusView;
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

    /**
     * Registers the run's rollout, unless a rollout of that id ended already and another one has
     * been registered since: the pod template of that run is deployed again, so Flagger's
     * checksum is the same, and rollcall never judges an ended rollout id again — the gates
     * would wait for ever. Refusing lets Flagger count failed checks and roll back.
     */
    private void preRollout(Context ctx) {
        FlaggerHook hook = FlaggerHook.parse(Params.jsonBody(ctx));
        auth.authorize(hook.token(), "metadata." + FlaggerHook.TOKEN);
        RolloutSpec spec;
        try {
            spec = RolloutJson.parseSpec(hook.specBody(), hook.service(), clock.instant());
        } catch (RolloutJson.SpecException e) {
            throw hook.inMetadata(e);
        }
        HttpApi.Services now = services.get();
        boolean current = now.rollouts().spec(spec.getService())
                .map(s -> s.getRolloutId().equals(spec.getRolloutId())).orElse(false);
        if (!current) {
            Answer<RolloutStatusView> earlier = status(now, spec.getService(), spec.getRolloutId());
            if (earlier instanceof Answer.NotReady<RolloutStatusView> notReady) {
                Replies.notReady(ctx, notReady.reason());
                return;
            }
            Optional<FlaggerGate.Read> ended = FlaggerGate.read(earlier).filter(FlaggerGate.Read::terminal);
            if (ended.isPresent()) {
                Replies.error(ctx, 409, "rollout '" + spec.getRolloutId() + "' was judged already ("
                        + ended.get().decision() + ") and rollcall judges a rollout once: this pod template ran "
                        + "before, so Flagger's checksum is the same; change the template (an annotation will do)");
                return;
            }
        }
        RolloutRoutes.register(ctx, now, spec, false);
    }

    private void gate(Context ctx, FlaggerGate gate) {
        FlaggerHook hook = FlaggerHook.parse(Params.jsonBody(ctx));
        String service = hook.service();
        String rolloutId = hook.rolloutId();
        FlaggerGate.Reply reply = gate.reply(service, rolloutId, status(services.get(), service, rolloutId));
        if (reply.status() == 503) {
            ctx.header("Retry-After", Replies.RETRY_AFTER_SECONDS);
        }
        ctx.status(reply.status()).json(reply.body());
    }

    /**
     * The rollout's status, read where it is judged. Forwarding sends a GET of the status path
     * to the owner: the webhook's POST itself is never forwarded.
     */
    private static Answer<RolloutStatusView> status(HttpApi.Services services, String service, String rolloutId) {
        String path = HttpApi.ROLLOUTS_PATH + Params.encode(service) + "?" + RolloutRoutes.ROLLOUT_ID + "="
                + Params.encode(rolloutId);
        return services.rollouts().status(service, Optional.of(rolloutId), ReadOptions.DEFAULT, path);
    }
}
