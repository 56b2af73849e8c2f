package io.rollcall.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rollcall.schema.SeriesId;
import java.util.List;
import java.util.function.Supplier;

/** {@code /internal/v1/scan}: one instance's part of a cluster-wide scan, asked by the instance assembling a page. */
final class InternalScanRoutes implements Routes {

    private final Supplier<HttpApi.Services> services;

    InternalScanRoutes(Supplier<HttpApi.Services> services) {
        this.services = services;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/internal/v1/scan", this::scan);
    }

    private void scan(Context ctx) {
        List<Integer> partitions = Params.partitions(ctx);
        SeriesId from = Params.optionalId(ctx, "from", SeriesId.MIN);
        SeriesId to = Params.optionalId(ctx, "to", SeriesId.MAX);
        try {
            ctx.json(services.get().scan().local(partitions, from, to, Params.limit(ctx), Params.flag(ctx, "standby")));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }
}
