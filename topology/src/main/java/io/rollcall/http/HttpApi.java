package io.rollcall.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollcall.query.Answer;
import io.rollcall.query.ClusterScan;
import io.rollcall.app.Json;
import io.rollcall.config.RollcallConfig;
import io.rollcall.app.RolloutWriter;
import io.rollcall.query.MetricQueries;
import io.rollcall.query.RolloutQueries;
import io.rollcall.rollout.RolloutJson;
import io.rollcall.schema.avro.RolloutSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import io.rollcall.query.ReadOptions;
import io.rollcall.schema.SeriesId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (docs/http-api.md): parse, call the query services, render. Javalin 7
 * (Jetty 12) was chosen over Jetty + Jersey for its size: one dependency, routes in plain
 * Java, no annotation scanning, and start-up in milliseconds, which matters for a service
 * that scales by adding pods.
 *
 * <p>The server starts before Kafka Streams (instances advertise the port it bound), so
 * the query services are attached later; until then every data endpoint answers 503.
 */
public final class HttpApi implements AutoCloseable {

    /** Liveness: fails only when Kafka Streams is dead (ERROR / NOT_RUNNING). Probes and manifests use it. */
    public static final String LIVE_PATH = "/health/live";
    /** Readiness: fails while this instance cannot serve (starting, restoring, rebalancing its stores). */
    public static final String READY_PATH = "/health/ready";
    /** Prometheus exposition. */
    public static final String METRICS_PATH = "/metrics";
    /** Rollout status by service, read by Argo Rollouts' web metric ({@code $.decision}). */
    public static final String ROLLOUTS_PATH = "/api/v1/rollouts/";

    /**
     * What the handlers need once Kafka Streams exists.
     *
     * @param restored whether the application has been RUNNING at least once (first restoration done)
     */
    public record Services(KafkaStreams streams, MetricQueries metrics, ClusterScan scan, RolloutQueries rollouts,
                           RolloutWriter writer, BooleanSupplier restored) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final Duration DEFAULT_WINDOW_RANGE = Duration.ofHours(1);

    private final Javalin app;
    private static final int RESPONSE_COPY_BUFFER = 4096;
    /** Request bodies (rollout specs) larger than this are refused with 413. */
    static final long MAX_BODY_BYTES = 64 * 1024;

    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private volatile Services services;
    /** SHA-256 of the bearer token that allows writes; null: writes disabled. */
    private final byte[] writeToken;

    private HttpApi(PrometheusMeterRegistry registry, ObjectMapper json, Clock clock, String token,
                    RollcallConfig.Tls tls, String host, int port) {
        this.registry = registry;
        this.clock = clock;
        this.writeToken = token == null ? null : sha256(token);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            // Javalin copies each answer through a buffer of Jetty's output size (32 KiB) allocated
            // per request: 60 % of the HTTP threads' allocation in the query benchmark. Answers
            // are a few hundred bytes; larger ones are copied in several chunks.
            config.http.responseBufferSize = RESPONSE_COPY_BUFFER;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            if (tls != null) {
                // The only connector: HTTPS (Javalin adds its plain one only when there is none).
                config.jetty.addConnector((server, http) -> tlsConnector(server, http, tls, host, port));
            }
            config.jetty.modifyServer(server -> server.setStopTimeout(10_000));
            // The dashboard: static files from the jar (uPlot vendored), served at / by every instance.
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.routes.before(ctx -> ctx.attribute("rollcall.start", System.nanoTime()));
            config.routes.after(this::recordRequest);
            config.routes.get("/api/v1/metrics/{id}", this::metric);
            config.routes.get("/api/v1/metrics/{id}/windows", this::windows);
            config.routes.get("/api/v1/metrics", this::scan);
            config.routes.get("/api/v1/instances", this::instances);
            config.routes.get("/api/v1/rollouts", this::rollouts);
            config.routes.get(ROLLOUTS_PATH + "{service}", this::rollout);
            config.routes.get("/api/v1/rollouts/{service}/verdicts", this::verdicts);
            config.routes.put("/api/v1/rollouts/{service}", this::putRollout);
            config.routes.delete("/api/v1/rollouts/{service}", this::deleteRollout);
            config.routes.get("/internal/v1/scan", this::internalScan);
            config.routes.get(LIVE_PATH, this::live);
            config.routes.get(READY_PATH, this::ready);
            config.routes.get(METRICS_PATH, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(registry.scrape()));
            config.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(RolloutJson.SpecException.class, (e, ctx) -> ctx.status(400)
                    .json(Map.of("status", 400, "error", e.getMessage(), "field", e.field())));
            config.routes.exception(Refused.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(InvalidStateStoreException.class, (e, ctx) -> notReady(ctx, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error; see the server log");
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.endpoints().matchedHttpEndpoint() == null) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + abbreviate(ctx.path()));
                }
            });
            config.routes.error(405, "*", ctx -> error(ctx, 405, "method " + ctx.method() + " not allowed here"));
        });
    }

    /** Binds the port ({@code 0}: any free one) and starts serving. */
    /** @param token bearer token that allows writes; null disables them */
    public static HttpApi start(String host, int port, PrometheusMeterRegistry registry, ObjectMapper json,
                                String token, RollcallConfig.Tls tls) {
        HttpApi api = new HttpApi(registry, json, Clock.systemUTC(), token, tls, host, port);
        try {
            api.app.start(host, port);
        } catch (RuntimeException e) {
            api.app.stop();
            throw startFailure(e, host, port, tls);
        }
        return api;
    }

    /** What an operator can fix, named by its setting, instead of a stack trace from Jetty. */
    private static RuntimeException startFailure(RuntimeException e, String host, int port, RollcallConfig.Tls tls) {
        Throwable root = e;
        boolean bind = false;
        boolean keys = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            bind |= t instanceof java.net.BindException;
            keys |= t instanceof java.security.GeneralSecurityException || t instanceof java.io.IOException
                    && String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password");
        }
        if (bind) {
            return new io.rollcall.config.ConfigException("rollcall.http.port: cannot listen on " + host + ":" + port
                    + " (" + root.getMessage() + "); is another process using it?");
        }
        if (tls != null && (keys || root instanceof java.io.IOException)) {
            return new io.rollcall.config.ConfigException("rollcall.http.tls.keystore: cannot load " + tls.keystore()
                    + " as PKCS12 with rollcall.http.tls.keystore-password (" + root.getMessage() + ")");
        }
        return e;
    }

    private static org.eclipse.jetty.server.Connector tlsConnector(org.eclipse.jetty.server.Server server,
            org.eclipse.jetty.server.HttpConfiguration http, RollcallConfig.Tls tls, String host, int port) {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keystore().toString());
        ssl.setKeyStorePassword(tls.keystorePassword());
        ssl.setKeyStoreType("PKCS12");
        org.eclipse.jetty.server.HttpConfiguration https = new org.eclipse.jetty.server.HttpConfiguration(http);
        org.eclipse.jetty.server.SecureRequestCustomizer secure = new org.eclipse.jetty.server.SecureRequestCustomizer();
        // Instances and probes connect by IP as often as by name; the client checks the name.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
                new org.eclipse.jetty.server.HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    public int port() {
        return app.port();
    }

    public void attach(Services services) {
        this.services = services;
    }

    private Services services() {
        Services current = services;
        if (current == null) {
            throw new InvalidStateStoreException("starting up");
        }
        return current;
    }

    private void metric(Context ctx) {
        SeriesId id = Params.id(ctx);
        ReadOptions options = Params.readOptions(ctx);
        render(ctx, services().metrics().aggregate(id, options, Params.pathAndQuery(ctx)), "series " + id);
    }

    private void windows(Context ctx) {
        SeriesId id = Params.id(ctx);
        Instant to = Params.time(ctx, "to", clock.instant());
        Instant from = Params.time(ctx, "from", to.minus(DEFAULT_WINDOW_RANGE));
        if (from.isAfter(to)) {
            throw new BadRequest("from: must not be after to (" + from + " > " + to + ")");
        }
        ReadOptions options = Params.readOptions(ctx);
        render(ctx, services().metrics().windows(id, from, to, options, Params.pathAndQuery(ctx)), "series " + id);
    }

    private void scan(Context ctx) {
        SeriesId from = Params.optionalId(ctx, "from", SeriesId.MIN);
        SeriesId to = Params.optionalId(ctx, "to", SeriesId.MAX);
        if (from.compareTo(to) > 0) {
            throw new BadRequest("from: must not be above to (" + from + " > " + to + ")");
        }
        int limit = Params.limit(ctx);
        SeriesId after = Params.cursor(ctx);
        render(ctx, services().scan().page(from, to, after, limit, Params.readOptions(ctx)), "scan");
    }

    private void internalScan(Context ctx) {
        List<Integer> partitions = new ArrayList<>();
        String text = ctx.queryParam("partitions");
        if (text == null || text.isEmpty()) {
            throw new BadRequest("partitions: required, e.g. 0,3,5");
        }
        for (String part : text.split(",", 1024)) {
            try {
                partitions.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new BadRequest("partitions: not a list of partition numbers");
            }
        }
        SeriesId from = Params.optionalId(ctx, "from", SeriesId.MIN);
        SeriesId to = Params.optionalId(ctx, "to", SeriesId.MAX);
        try {
            ctx.json(services().scan().local(partitions, from, to, Params.limit(ctx), Params.flag(ctx, "standby")));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private void rollouts(Context ctx) {
        Services s = services();
        List<Object> rollouts = new ArrayList<>();
        for (String service : s.rollouts().specs().keySet()) {
            Answer<Map<String, Object>> answer = s.rollouts().status(service, Params.readOptions(ctx),
                    "/api/v1/rollouts/" + Params.encode(service));
            if (answer instanceof Answer.Local<Map<String, Object>> local) {
                rollouts.add(local.value());
            } else if (answer instanceof Answer.Forwarded<Map<String, Object>> forwarded && forwarded.status() == 200) {
                rollouts.add(Json.parse(forwarded.body()));
            } else {
                rollouts.add(Map.of("service", service, "error", "status not available now; ask again"));
            }
        }
        ctx.json(Map.of("rollouts", rollouts, "servedBy", s.metrics().self()));
    }

    private void rollout(Context ctx) {
        String service = Params.service(ctx);
        render(ctx, services().rollouts().status(service, Params.readOptions(ctx), Params.pathAndQuery(ctx)),
                "rollout of service '" + service + "'");
    }

    private void verdicts(Context ctx) {
        String service = Params.service(ctx);
        render(ctx, services().rollouts().verdicts(service, Params.limit(ctx), Params.readOptions(ctx),
                Params.pathAndQuery(ctx)), "rollout of service '" + service + "'");
    }

    private void putRollout(Context ctx) {
        authorize(ctx);
        String service = Params.service(ctx);
        RolloutSpec spec = RolloutJson.parseSpec(Params.jsonBody(ctx), service, clock.instant());
        try {
            services().writer().put(spec);
        } catch (RolloutWriter.WriteFailed e) {
            notReady(ctx, e.getMessage());
            return;
        }
        ctx.status(202).json(Map.of("accepted", RolloutJson.spec(spec)));
    }

    private void deleteRollout(Context ctx) {
        authorize(ctx);
        String service = Params.service(ctx);
        try {
            services().writer().remove(service);
        } catch (RolloutWriter.WriteFailed e) {
            notReady(ctx, e.getMessage());
            return;
        }
        ctx.status(202).json(Map.of("removed", service));
    }

    /**
     * Writes need {@code Authorization: Bearer <rollcall.api.token>}. The digests of the two
     * tokens are compared in constant time, so response timing tells nothing of the token.
     */
    private void authorize(Context ctx) {
        if (writeToken == null) {
            throw new Refused(403, "writes are disabled on this instance: set rollcall.api.token (ROLLCALL_API_TOKEN)");
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"rollcall\"");
            throw new Refused(401, "a bearer token is required: send 'Authorization: Bearer <token>'");
        }
        if (!MessageDigest.isEqual(sha256(header.substring(7).strip()), writeToken)) {
            throw new Refused(403, "the bearer token is not valid for writes");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private void instances(Context ctx) {
        Services s = services();
        ctx.json(Map.of(
                "servedBy", s.metrics().self(),
                "state", s.streams().state().name(),
                "instances", s.scan().instances()));
    }

    /** Fails only when the application is dead: restarting it is then the only cure. */
    private void live(Context ctx) {
        Services s = services;
        KafkaStreams.State state = s == null ? KafkaStreams.State.CREATED : s.streams().state();
        boolean dead = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING;
        ctx.status(dead ? 503 : 200).json(Map.of("status", dead ? "DOWN" : "UP", "state", state.name()));
    }

    /**
     * Ready once the first restoration is done and while running or rebalancing: a rebalance
     * moves some partitions, but reads are still routed or served from standbys, and taking
     * every pod out of the load balancer at each rebalance would be worse.
     */
    private void ready(Context ctx) {
        Services s = services;
        KafkaStreams.State state = s == null ? KafkaStreams.State.CREATED : s.streams().state();
        boolean ready = s != null && s.restored().getAsBoolean()
                && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
        if (!ready) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "READY" : "NOT_READY", "state", state.name()));
    }

    private static <T> void render(Context ctx, Answer<T> answer, String what) {
        if (answer instanceof Answer.Local<T> local) {
            ctx.json(local.value());
        } else if (answer instanceof Answer.Forwarded<T> forwarded) {
            ctx.status(forwarded.status()).contentType("application/json").result(forwarded.body());
            if (forwarded.status() == 503) {
                ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            }
        } else if (answer instanceof Answer.NotFound<T> notFound) {
            error(ctx, 404, what + " not found (asked " + notFound.served().instance() + ")");
        } else if (answer instanceof Answer.NotReady<T> notReady) {
            notReady(ctx, notReady.reason());
        }
    }

    private static void notReady(Context ctx, String reason) {
        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        error(ctx, 503, "not queryable now, retry shortly: " + reason);
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(new ApiError(status, message));
    }

    private void recordRequest(Context ctx) {
        Long start = ctx.attribute("rollcall.start");
        if (start == null) {
            return;
        }
        // The route template, not the path: one time series per endpoint, not per id.
        var matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? "unmatched" : matched.path;
        Timer.builder("http.server.requests")
                .description("HTTP requests served")
                .tag("method", ctx.method().name())
                .tag("uri", route)
                .tag("status", Integer.toString(ctx.status().getCode()))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - start));
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** Stops accepting requests and lets in-flight ones finish (Jetty stop timeout 10 s). */
    @Override
    public void close() {
        app.stop();
    }
}
