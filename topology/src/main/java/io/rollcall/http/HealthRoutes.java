package io.rollcall.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** The probes: liveness and readiness, as Kubernetes asks them. */
final class HealthRoutes implements Routes {

    /**
     * @param state    this instance's Kafka Streams state (CREATED until it exists)
     * @param problems what keeps it from processing while it serves reads, e.g. a schema registry
     *                 that cannot be asked; left out when there is none
     */
    record Health(String status, String state, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> problems) {
        Health(String status, String state) {
            this(status, state, List.of());
        }
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
     * every pod out of the load balancer at each rebalance would be worse. A dependency that is
     * away (the schema registry) is reported in {@code problems} but leaves the pod ready: every
     * pod depends on it alike, and the reads they serve are still right, only not advancing.
     */
    private void ready(Context ctx) {
        HttpApi.Services s = services.get();
        KafkaStreams.State state = state(s);
        boolean ready = ready(s);
        if (!ready) {
            ctx.header("Retry-After", Replies.RETRY_AFTER_SECONDS);
        }
        ctx.status(ready ? 200 : 503).json(new Health(ready ? "READY" : "NOT_READY", state.name(),
                s == null ? List.of() : s.problems().get()));
    }

    /** The readiness condition; {@code s} is null until Kafka Streams exists. */
    static boolean ready(HttpApi.Services s) {
        KafkaStreams.State state = state(s);
        return s != null && s.restored().getAsBoolean()
                && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
    }

    private static KafkaStreams.State state(HttpApi.Services s) {
        return s == null ? KafkaStreams.State.CREATED : s.streams().state();
    }
}
