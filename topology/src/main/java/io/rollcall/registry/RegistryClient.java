package io.rollcall.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.query.Json;
import io.rollcall.schema.registry.RegistryUnavailableException;
import io.rollcall.schema.registry.UnknownSchemaIdException;
import io.rollcall.schema.registry.WriterSchemas;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
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
 * the record's: {@link RegistryUnavailableException}.
 */
public final class RegistryClient implements WriterSchemas {

    private final List<URI> urls;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final HttpClient http;

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
    }

    @Override
    public Schema byId(int id) {
        List<String> failures = new ArrayList<>();
        for (URI base : urls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(resolve(base, "schemas/ids/" + Integer.toUnsignedString(id)))
                    .timeout(timeout)
                    .header("Accept", "application/vnd.schemaregistry.v1+json, application/json")
                    .GET();
            authorization.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add(base.getAuthority() + ": " + e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while asking the schema registry for id " + id, e);
            }
            if (response.statusCode() == 200) {
                return parse(id, response.body());
            }
            if (response.statusCode() == 404) {
                throw new UnknownSchemaIdException(id, message(response.body()));
            }
            failures.add(base.getAuthority() + ": HTTP " + response.statusCode() + " " + message(response.body()));
        }
        throw new RegistryUnavailableException("cannot ask the schema registry for schema id " + id + ": "
                + String.join("; ", failures), null);
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
