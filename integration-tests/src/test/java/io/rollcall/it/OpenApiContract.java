package io.rollcall.it;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an OpenAPI 3.1 document declares of an answer: its operation and status, the headers it
 * requires, its media type and the JSON Schema of its body. Swagger's parser reads the document;
 * bodies and header values are validated by networknt's JSON Schema 2020-12 validator against
 * the schemas where the document has them (so their {@code $ref}s resolve within it).
 */
final class OpenApiContract {

    /** The document's id for the validator; it is given the text, never fetches it. */
    private static final String DOCUMENT = "https://rollcall.invalid/openapi.json";
    private static final String COMPONENT = "#/components/";

    private final OpenAPI document;
    private final SchemaRegistry schemas;

    private OpenApiContract(OpenAPI document, SchemaRegistry schemas) {
        this.document = document;
        this.schemas = schemas;
    }

    static OpenApiContract of(String text) {
        ParseOptions options = new ParseOptions();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
        if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new IllegalArgumentException("not a valid OpenAPI document: " + parsed.getMessages());
        }
        return new OpenApiContract(parsed.getOpenAPI(), SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, registry -> registry.schemas(Map.of(DOCUMENT, text))));
    }

    /** Every (method, path template, status) the document declares, as {@code "GET /path 200"}. */
    Set<String> declared() {
        Set<String> out = new TreeSet<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operation.getResponses().keySet().forEach(status -> out.add(method + " " + path + " " + status))));
        return out;
    }

    /** How the answer departs from the document; empty when it conforms. */
    List<String> violations(String method, String template, HttpResponse<String> answer) {
        PathItem item = document.getPaths().get(template);
        Operation operation = item == null ? null
                : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)));
        if (operation == null) {
            return List.of(method + " " + template + " is not in the document");
        }
        String status = Integer.toString(answer.statusCode());
        ApiResponse response = operation.getResponses().get(status);
        if (response == null) {
            return List.of(method + " " + template + " does not declare " + status);
        }
        String at = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
        if (response.get$ref() != null) {
            String name = component(response.get$ref(), "responses");
            response = document.getComponents().getResponses().get(name);
            at = "/components/responses/" + escape(name);
        }
        List<String> out = new ArrayList<>();
        if (response.getHeaders() != null) {
            for (Map.Entry<String, Header> entry : response.getHeaders().entrySet()) {
                out.addAll(header(entry.getKey(), entry.getValue(), at + "/headers/" + escape(entry.getKey()), answer));
            }
        }
        out.addAll(body(response, at, answer));
        return out;
    }

    private List<String> header(String name, Header header, String at, HttpResponse<String> answer) {
        if (header.get$ref() != null) {
            String component = component(header.get$ref(), "headers");
            header = document.getComponents().getHeaders().get(component);
            at = "/components/headers/" + escape(component);
        }
        var value = answer.headers().firstValue(name);
        if (value.isEmpty()) {
            return Boolean.TRUE.equals(header.getRequired()) ? List.of("header " + name + " is missing") : List.of();
        }
        return validate(at + "/schema", Api.JSON.valueToTree(value.get()).toString(), "header " + name);
    }

    private List<String> body(ApiResponse response, String at, HttpResponse<String> answer) {
        String mediaType = answer.headers().firstValue("Content-Type").map(v -> v.split(";")[0].strip()).orElse("");
        if (response.getContent() == null) {
            return answer.body().isEmpty() ? List.of() : List.of("a body where the document declares none");
        }
        if (!response.getContent().containsKey(mediaType)) {
            return List.of("media type '" + mediaType + "', declared: " + response.getContent().keySet());
        }
        if (!mediaType.equals("application/json")) {
            return List.of();
        }
        return validate(at + "/content/" + escape(mediaType) + "/schema", answer.body(), "body");
    }

    private List<String> validate(String pointer, String json, String what) {
        return schemas.getSchema(SchemaLocation.of(DOCUMENT + "#" + pointer)).validate(json, InputFormat.JSON).stream()
                .map(error -> what + ": " + error)
                .toList();
    }

    private static String component(String ref, String kind) {
        String prefix = COMPONENT + kind + "/";
        if (!ref.startsWith(prefix)) {
            throw new IllegalArgumentException("not a reference to a component of " + kind + ": " + ref);
        }
        return ref.substring(prefix.length());
    }

    /** A JSON Pointer token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
