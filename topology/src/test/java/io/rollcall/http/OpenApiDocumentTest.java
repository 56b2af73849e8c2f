package io.rollcall.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollcall.query.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the app serves is valid OpenAPI 3.1 and lists exactly the routes the app
 * registers, so an endpoint added without its description fails the build.
 */
class OpenApiDocumentTest {

    private static SwaggerParseResult parse() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(new String(OpenApiRoutes.read(), StandardCharsets.UTF_8), null,
                options);
    }

    @Test
    void theServedDocumentIsOpenApi31WithoutErrors() {
        SwaggerParseResult result = parse();

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedOneRegistered() {
        OpenAPI document = parse().getOpenAPI();
        List<String> documented = document.getPaths().entrySet().stream()
                .flatMap(path -> path.getValue().readOperationsMap().keySet().stream()
                        .map(method -> method.name().toUpperCase(Locale.ROOT) + " " + path.getKey()))
                .toList();
        try (HttpApi api = HttpApi.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Json.mapper(), null, null)) {
            assertThat(api.routes()).containsExactlyInAnyOrderElementsOf(documented);
        }
    }
}
