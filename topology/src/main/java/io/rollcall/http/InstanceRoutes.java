package io.rollcall.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rollcall.query.InstanceView;
import java.util.List;
import java.util.function.Supplier;

/** {@code /api/v1/instances}: the instances of the application and their partitions. */
final class InstanceRoutes implements Routes {

    /** @param state this instance's Kafka Streams state */
    record Instances(String servedBy, String state, List<InstanceView> instances) {
    }

    private final Supplier<HttpApi.Services> services;

    InstanceRoutes(Supplier<HttpApi.Services> services) {
        this.services = services;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/instances", this::instances);
    }

    private void instances(Context ctx) {
        HttpApi.Services s = services.get();
        ctx.json(new Instances(s.metrics().self(), s.streams().state().name(), s.scan().instances()));
    }
}
