package io.rollcall.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rollcall.schema.SeriesId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** {@code /api/v1/metrics}: one series, its windows, and the cluster-wide scan. */
final class MetricRoutes implements Routes {

    private static final Duration DEFAULT_WINDOW_RANGE = Duration.ofHours(1);

    private final Supplier<HttpApi.Services> services;
    private final Clock clock;

    MetricRoutes(Supplier<HttpApi.Services> services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/metrics/{id}", this::metric);
        routes.get("/api/v1/metrics/{id}/windows", this::windows);
        routes.get("/api/v1/metrics", this::scan);
    }

    private void metric(Context ctx) {
        SeriesId id = Params.id(ctx);
        Replies.answer(ctx, services.get().metrics().aggregate(id, Params.readOptions(ctx), Params.pathAndQuery(ctx)),
                "series " + id);
    }

    private void windows(Context ctx) {
        SeriesId id = Params.id(ctx);
        Instant to = Params.time(ctx, "to", clock.instant());
        Instant from = Params.time(ctx, "from", to.minus(DEFAULT_WINDOW_RANGE));
        if (from.isAfter(to)) {
            throw new BadRequest("from: must not be after to (" + from + " > " + to + ")");
        }
        Replies.answer(ctx, services.get().metrics().windows(id, from, to, Params.readOptions(ctx),
                Params.pathAndQuery(ctx)), "series " + id);
    }

    private void scan(Context ctx) {
        SeriesId from = Params.optionalId(ctx, "from", SeriesId.MIN);
        SeriesId to = Params.optionalId(ctx, "to", SeriesId.MAX);
        if (from.compareTo(to) > 0) {
            throw new BadRequest("from: must not be above to (" + from + " > " + to + ")");
        }
        int limit = Params.limit(ctx);
        SeriesId after = Params.cursor(ctx);
        Replies.answer(ctx, services.get().scan().page(from, to, after, limit, Params.readOptions(ctx)), "scan");
    }
}
