package io.rollcall.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollcall.rollout.RolloutWriter;
import io.rollcall.config.ConfigException;
import io.rollcall.config.RollcallConfig;
import io.rollcall.query.ClusterScan;
import io.rollcall.query.MetricQueries;
import io.rollcall.query.RolloutQueries;
import io.rollcall.rollout.RolloutJson;
import java.io.IOException;
import java.net.BindException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of the API (docs/http-api.md): Javalin, the TLS connector, error mapping, request
 * timing and the dashboard. The endpoints are in one {@link Routes} class per resource.
 * Javalin 7 (Jetty 12) was chosen over Jetty + Jersey for its size: one dependency, routes
 * in plain Java, no annotation scanning, and start-up in milliseconds, which matters for a
 * service that scales by adding pods.
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
                           RolloutWriter writer, BooleanSupplier restored,
                           java.util.function.Supplier<java.util.List<String>> problems) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final int RESPONSE_COPY_BUFFER = 4096;
    /** Request bodies (rollout specs) larger than this are refused with 413. */
    static final long MAX_BODY_BYTES = 64 * 1024;
    private static final String START_ATTRIBUTE = "rollcall.start";
    /** Bounds of the request timer's histogram buckets: a local read takes ~1 ms, a forwarded one up to its timeout. */
    private static final Duration REQUEST_MIN = Duration.ofMillis(1);
    private static final Duration REQUEST_MAX = Duration.ofSeconds(30);

    private final Javalin app;
    private final PrometheusMeterRegistry registry;
    /** The request timer, configured once; a request only picks its tags' series. */
    private final Meter.MeterProvider<Timer> requests;
    private volatile Services services;

    private HttpApi(PrometheusMeterRegistry registry, ObjectMapper json, Clock clock, String token,
                    RollcallConfig.Tls tls, String host, int port) {
        this.registry = registry;
        this.requests = Timer.builder("http.server.requests")
                .description("HTTP requests served")
                .publishPercentileHistogram()
                .minimumExpectedValue(REQUEST_MIN)
                .maximumExpectedValue(REQUEST_MAX)
                .withRegistry(registry);
        WriteAuth auth = new WriteAuth(token);
        List<Routes> resources = List.of(
                new MetricRoutes(this::services, clock),
                new RolloutRoutes(this::services, auth, clock),
                new FlaggerRoutes(this::services, auth, clock),
                new InstanceRoutes(this::services),
                new InternalScanRoutes(this::services),
                new HealthRoutes(() -> services),
                new PrometheusRoutes(registry),
                new OpenApiRoutes());
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
                files.location = Location.CLASSPATH;
            });
            config.routes.before(ctx -> ctx.attribute(START_ATTRIBUTE, System.nanoTime()));
            config.routes.after(this::recordRequest);
            resources.forEach(resource -> resource.register(config.routes));
            config.routes.exception(BadRequest.class, (e, ctx) -> Replies.error(ctx, 400, e.getMessage()));
            config.routes.exception(RolloutJson.SpecException.class, (e, ctx) -> ctx.status(400)
                    .json(new RolloutRoutes.SpecError(400, e.getMessage(), e.field())));
            config.routes.exception(Refused.class, (e, ctx) -> Replies.error(ctx, e.status(), e.getMessage()));
            // Javalin's own refusals (413 for a body over the limit) would answer plain text; every error is an ApiError.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> Replies.error(ctx, e.getStatus(),
                    e.getStatus() == 413 ? "body: larger than " + MAX_BODY_BYTES / 1024 + " KiB" : e.getMessage()));
            config.routes.exception(InvalidStateStoreException.class,
                    (e, ctx) -> Replies.notReady(ctx, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                Replies.error(ctx, 500, "internal error; see the server log");
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.endpoints().matchedHttpEndpoint() == null) {
                    Replies.error(ctx, 404,
                            "no such endpoint: " + ctx.method() + " " + Params.abbreviate(ctx.path(), 80));
                }
            });
            config.routes.error(405, "*",
                    ctx -> Replies.error(ctx, 405, "method " + ctx.method() + " not allowed here"));
        });
    }

    /**
     * Binds the port ({@code 0}: any free one) and starts serving.
     *
     * @param token bearer token that allows writes; null disables them
     */
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
            bind |= t instanceof BindException;
            keys |= t instanceof GeneralSecurityException || t instanceof IOException
                    && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("password");
        }
        if (bind) {
            return new ConfigException("rollcall.http.port: cannot listen on " + host + ":" + port
                    + " (" + root.getMessage() + "); is another process using it?");
        }
        if (tls != null && (keys || root instanceof IOException)) {
            return new ConfigException("rollcall.http.tls.keystore: cannot load " + tls.keystore()
                    + " as PKCS12 with rollcall.http.tls.keystore-password (" + root.getMessage() + ")");
        }
        return e;
    }

    private static Connector tlsConnector(Server server, HttpConfiguration http, RollcallConfig.Tls tls, String host,
                                          int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keystore().toString());
        ssl.setKeyStorePassword(tls.keystorePassword());
        ssl.setKeyStoreType("PKCS12");
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Instances and probes connect by IP as often as by name; the client checks the name.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    public int port() {
        return app.port();
    }

    /** Every route as {@code "METHOD /path/{param}"}, as Javalin matches them; the OpenAPI document must list each. */
    List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(handler -> handler.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
                .toList();
    }

    public void attach(Services services) {
        this.services = services;
    }

    /** Whether {@value #READY_PATH} answers 200 now. */
    public boolean ready() {
        return HealthRoutes.ready(services);
    }

    /** The services; before they are attached, a read answers 503 like any store that is not queryable yet. */
    private Services services() {
        Services current = services;
        if (current == null) {
            throw new InvalidStateStoreException("starting up");
        }
        return current;
    }

    private void recordRequest(Context ctx) {
        Long start = ctx.attribute(START_ATTRIBUTE);
        if (start == null) {
            return;
        }
        // The route template, not the path: one time series per endpoint, not per id.
        var matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? "unmatched" : matched.path;
        int status = ctx.status().getCode();
        requests.withTags("method", ctx.method().name(), "uri", route, "status", Integer.toString(status),
                        "outcome", Outcome.forStatus(status).name())
                .record(Duration.ofNanos(System.nanoTime() - start));
    }

    /** Stops accepting requests and lets in-flight ones finish (Jetty stop timeout 10 s). */
    @Override
    public void close() {
        app.stop();
    }
}
