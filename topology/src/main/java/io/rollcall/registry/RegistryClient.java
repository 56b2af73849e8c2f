package io.rollcall.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.config.RollcallConfig;
import io.rollcall.query.Json;
import io.rollcall.schema.registry.RegistryUnavailableException;
import io.rollcall.schema.registry.UnknownSchemaIdException;
import io.rollcall.schema.registry.WriterSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Writer schemas from a schema registry's Confluent-compatible REST API —
 * {@code GET /schemas/ids/{id}}, which Confluent Schema Registry, Apicurio Registry's
 * {@code /apis/ccompat/v7}, Karapace and Redpanda all serve. Several URLs are tried in turn,
 * as Confluent's client does.
 *
 * <p>The JDK's HTTP client is enough for one GET with a timeout, basic auth and the JVM's TLS;
 * the registries' own Java clients bring a framework each (Apicurio's: Vert.x and Kiota) and
 * Confluent's is not on Maven Central.
 *
 * <p>A 404 for the id ("schema not found", error code 40403) means the record names a schema
 * that does not exist: {@link UnknownSchemaIdException}. Anything else that stops every URL from
 * answering — refused connections, timeouts, 5xx, 401/403 — is the registry's problem, not
 * the record's: {@link RegistryUnavailableException}. The client remembers the last such
 * failure until the registry answers again ({@link #problem()}), and counts its requests by
 * outcome, for readiness and metrics.
 */
public final class RegistryClient implements WriterSchemas {

    /** How a request for a schema ended. */
    public enum Outcome {
        /** The registry had the schema. */
        FOUND,
        /** The registry answered that it has no such id. */
        UNKNOWN,
        /** No URL answered: down, slow, 5xx, refused credentials. */
        UNAVAILABLE
    }

    /** Why the registry could not be asked, and since when; cleared by the next answer. */
    public record Problem(String cause, Instant since) {
    }

    private final List<URI> urls;
    private final Optional<String> authorization;
    private final Duration timeout;
    /** The media type of the Confluent-compatible API. */
    private static final String JSON = "application/vnd.schemaregistry.v1+json";

    private final HttpClient http;
    private final AtomicReference<Problem> problem = new AtomicReference<>();
    private final EnumMap<Outcome, LongAdder> requests = new EnumMap<>(Outcome.class);

    /**
     * @param urls     base URLs, e.g. {@code http://registry:8081} or {@code http://apicurio:8080/apis/ccompat/v7}
     * @param userInfo {@code user:password} for basic auth, if any
     */
    public RegistryClient(List<URI> urls, Optional<String> userInfo, Duration timeout, HttpClient http) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is needed");
        }
        this.urls = List.copyOf(urls);
        this.authorization = userInfo.map(info ->
                "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
        this.timeout = timeout;
        this.http = http;
        for (Outcome outcome : Outcome.values()) {
            requests.put(outcome, new LongAdder());
        }
    }

    /** A client for the configured registry, trusting its trust store (or the JVM's) for https. */
    public static RegistryClient of(RollcallConfig.Registry config) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(config.timeout());
        if (config.truststore() != null) {
            http.sslContext(trusting(config));
        }
        return new RegistryClient(config.urls(), config.userInfo(), config.timeout(), http.build());
    }

    private static SSLContext trusting(RollcallConfig.Registry config) {
        try (InputStream in = Files.newInputStream(config.truststore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, config.truststorePassword().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the schema registry trust store "
                    + config.truststore() + ": " + e.getMessage(), e);
        }
    }

    /** The registry's last failure, while it has not answered since. */
    public Optional<Problem> problem() {
        return Optional.ofNullable(problem.get());
    }

    /** Requests for schemas so far that ended with {@code outcome}. */
    public long requests(Outcome outcome) {
        return requests.get(outcome).sum();
    }

    @Override
    public Schema byId(int id) {
        try {
            Schema schema = ask(id);
            answered(Outcome.FOUND);
            return schema;
        } catch (UnknownSchemaIdException e) {
            answered(Outcome.UNKNOWN);
            throw e;
        } catch (RegistryUnavailableException e) {
            requests.get(Outcome.UNAVAILABLE).increment();
            Problem before = problem.get();
            problem.set(new Problem(e.getMessage(), before == null ? Instant.now() : before.since()));
            throw e;
        }
    }

    /**
     * Registers {@code schema} under {@code subject} (POST /subjects/{subject}/versions) and returns
     * its id; registering a schema the subject has already returns the id it has. Tries the URLs
     * in turn, as {@link #byId} does.
     *
     * @throws IllegalStateException        the registry refused it (e.g. 409: incompatible with the subject)
     * @throws RegistryUnavailableException no URL answered
     */
    public int register(String subject, Schema schema) {
        String body = Json.mapper().createObjectNode().put("schema", schema.toString()).toString();
        return exchange("register " + schema.getFullName() + " under " + subject,
                "subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions",
                request -> request.header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(body)),
                response -> {
                    int status = response.statusCode();
                    if (status == 200) {
                        JsonNode id = Json.parse(response.body()).path("id");
                        if (!id.canConvertToInt()) {
                            throw new IllegalStateException("the schema registry registered " + subject
                                    + " but answered without an id: " + message(response.body()));
                        }
                        return id.asInt();
                    }
                    if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 408 && status != 429) {
                        throw new IllegalStateException("the schema registry refused " + schema.getFullName() + " under "
                                + subject + ": HTTP " + status + " " + message(response.body()));
                    }
                    return null;
                });
    }

    private void answered(Outcome outcome) {
        requests.get(outcome).increment();
        problem.set(null);
    }

    private Schema ask(int id) {
        return exchange("ask the schema registry for schema id " + id, "schemas/ids/" + Integer.toUnsignedString(id),
                HttpRequest.Builder::GET, response -> {
                    if (response.statusCode() == 200) {
                        return parse(id, response.body());
                    }
                    if (response.statusCode() == 404) {
                        throw new UnknownSchemaIdException(id, message(response.body()));
                    }
                    return null;
                });
    }

    /**
     * Sends one request to each URL in turn until one answers with a result. {@code answer}
     * reads a response into the result, throws for an answer that settles the matter, or gives
     * null to try the next URL.
     *
     * @throws RegistryUnavailableException when no URL gave a result: "cannot " + {@code what}
     */
    private <T> T exchange(String what, String path, UnaryOperator<HttpRequest.Builder> method,
                           Function<HttpResponse<String>, T> answer) {
        List<String> failures = new ArrayList<>();
        for (URI base : urls) {
            HttpRequest.Builder request = method.apply(HttpRequest.newBuilder(resolve(base, path))
                    .timeout(timeout)
                    .header("Accept", JSON + ", application/json"));
            authorization.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add(base.getAuthority() + ": " + e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while trying to " + what, e);
            }
            T result = answer.apply(response);
            if (result != null) {
                return result;
            }
            failures.add(base.getAuthority() + ": HTTP " + response.statusCode() + " " + message(response.body()));
        }
        throw new RegistryUnavailableException("cannot " + what + ": " + String.join("; ", failures), null);
    }

    private static Schema parse(int id, String body) {
        try {
            JsonNode answer = Json.parse(body);
            JsonNode schema = answer.path("schema");
            String type = answer.path("schemaType").asText("AVRO");
            if (!schema.isTextual() || !"AVRO".equals(type)) {
                throw new UnknownSchemaIdException(id, "not an Avro schema (schemaType " + type + ")");
            }
            return new Schema.Parser().parse(schema.asText());
        } catch (IllegalArgumentException | SchemaParseException e) {
            throw new UnknownSchemaIdException(id, "the registry's answer is not an Avro schema: " + e.getMessage());
        }
    }

    /** The registry's own words: its error body's {@code message}, or the start of the body. */
    private static String message(String body) {
        try {
            JsonNode message = Json.parse(body).path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (IllegalArgumentException notJson) {
            // fall through: say what came back
        }
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private static URI resolve(URI base, String path) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text : text + "/") + path);
    }
}
