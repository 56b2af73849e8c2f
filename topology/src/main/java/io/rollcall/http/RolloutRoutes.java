package io.rollcall.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rollcall.rollout.RolloutWriter;
import io.rollcall.query.SpecView;
import io.rollcall.rollout.RolloutJson;
import io.rollcall.schema.avro.RolloutSpec;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code /api/v1/rollouts}: every rollout's status, one rollout, its verdicts, and writes of specs. */
final class RolloutRoutes implements Routes {

    /** A refused spec names the offending field, so clients can point at it. */
    record SpecError(int status, String error, String field) {
    }

    record Accepted(SpecView accepted) {
    }

    record Removed(String removed) {
    }

    /** The query parameter that binds a status read to one rollout. */
    static final String ROLLOUT_ID = "rolloutId";

    private final Supplier<HttpApi.Services> services;
    private final WriteAuth auth;
    private final Clock clock;

    RolloutRoutes(Supplier<HttpApi.Services> services, WriteAuth auth, Clock clock) {
        this.services = services;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/rollouts", this::rollouts);
        routes.get(HttpApi.ROLLOUTS_PATH + "{service}", this::rollout);
        routes.get(HttpApi.ROLLOUTS_PATH + "{service}/verdicts", this::verdicts);
        routes.put(HttpApi.ROLLOUTS_PATH + "{service}", this::put);
        routes.delete(HttpApi.ROLLOUTS_PATH + "{service}", this::delete);
    }

    private void rollouts(Context ctx) {
        ctx.json(services.get().rollouts().overview(Params.readOptions(ctx),
                service -> HttpApi.ROLLOUTS_PATH + Params.encode(service)));
    }

    /** With {@code ?rolloutId=}, about that rollout only (see {@link io.rollcall.query.RolloutQueries#status}). */
    private void rollout(Context ctx) {
        String service = Params.service(ctx);
        Optional<String> rolloutId = Optional.ofNullable(ctx.queryParam(ROLLOUT_ID)).filter(id -> !id.isEmpty());
        Replies.answer(ctx, services.get().rollouts().status(service, rolloutId, Params.readOptions(ctx),
                Params.pathAndQuery(ctx)), rolloutId.map(id -> "rollout '" + id + "' of service '" + service + "'")
                .orElse(what(service)));
    }

    private void verdicts(Context ctx) {
        String service = Params.service(ctx);
        Replies.answer(ctx, services.get().rollouts().verdicts(service, Params.limit(ctx), Params.readOptions(ctx),
                Params.pathAndQuery(ctx)), what(service));
    }

    private void put(Context ctx) {
        auth.authorize(ctx);
        String service = Params.service(ctx);
        JsonNode body = Params.jsonBody(ctx);
        register(ctx, services.get(), RolloutJson.parseSpec(body, service, clock.instant()), body.has("startedAt"));
    }

    /**
     * Writes {@code spec} and answers 202, or 200 when it is the service's current rollout
     * already: a controller that repeats its registration (a retry after a timeout) must not
     * restart the windows of the rollout it registered.
     *
     * @param startGiven whether the writer named the start time (then a different one is a new rollout)
     */
    static void register(Context ctx, HttpApi.Services services, RolloutSpec spec, boolean startGiven) {
        Optional<RolloutSpec> current = services.rollouts().spec(spec.getService());
        if (current.isPresent() && RolloutJson.sameRollout(current.get(), spec, startGiven)) {
            ctx.status(200).json(new Accepted(SpecView.of(current.get())));
            return;
        }
        try {
            services.writer().put(spec);
        } catch (RolloutWriter.WriteFailed e) {
            Replies.notReady(ctx, e.getMessage());
            return;
        }
        ctx.status(202).json(new Accepted(SpecView.of(spec)));
    }

    private void delete(Context ctx) {
        auth.authorize(ctx);
        String service = Params.service(ctx);
        try {
            services.get().writer().remove(service);
        } catch (RolloutWriter.WriteFailed e) {
            Replies.notReady(ctx, e.getMessage());
            return;
        }
        ctx.status(202).json(new Removed(service));
    }

    private static String what(String service) {
        return "rollout of service '" + service + "'";
    }
}
