package io.rollcall.http;

import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code /metrics}: the Prometheus exposition of this instance's meters. */
final class PrometheusRoutes implements Routes {

    private final PrometheusMeterRegistry registry;

    PrometheusRoutes(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(HttpApi.METRICS_PATH, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(registry.scrape()));
    }
}
