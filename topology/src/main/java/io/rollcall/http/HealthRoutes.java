package io.rollcall.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** The probes: liveness and readiness, as Kubernetes asks them. */
final class HealthRoutes implements Routes {

    /** @param state this instance's Kafka Streams state (CREATED until it exists) */
    record Health(String status, String state) {
    }

    /** Null until Kafka Streams exists. */
    private final Supplier<HttpApi.Services> services;

    HealthRoutes(Supplier<HttpApi.Services> services) {
        this.services = services;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(HttpApi.LIVE_PATH, this::live);
        routes.get(HttpApi.READY_PATH, this::ready);
    }

    /** Fails only when the application is dead: restarting it is then the only cure. */
    private void live(Context ctx) {
        KafkaStreams.State state = state(services.get());
        boolean dead = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING;
        ctx.status(dead ? 503 : 200).json(new Health(dead ? "DOWN" : "UP", state.name()));
    }

    /**
     * Ready once the first restoration is done and while running or rebalancing: a rebalance
     * moves some partitions, but reads are still routed or served from standbys, and taking
     * every pod out of the load balancer at each rebalance would be worse.
     */
    private void ready(Context ctx) {
        HttpApi.Services s = services.get();
        KafkaStreams.State state = state(s);
        boolean ready = s != null && s.restored().getAsBoolean()
                && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
        if (!ready) {
            ctx.header("Retry-After", Replies.RETRY_AFTER_SECONDS);
        }
        ctx.status(ready ? 200 : 503).json(new Health(ready ? "READY" : "NOT_READY", state.name()));
    }

    private static KafkaStreams.State state(HttpApi.Services s) {
        return s == null ? KafkaStreams.State.CREATED : s.streams().state();
    }
}
