package io.rollcall.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import io.rollcall.it.ArgoAnalysisRun.Measurement;
import io.rollcall.it.ArgoAnalysisRun.Phase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.MapContext;

/**
 * One measurement of an Argo Rollouts {@code web} metric whose arguments are resolved: the HTTP
 * request Argo sends and how it turns the answer into a measurement. Mirrors
 * {@code Provider.Run}, {@code parseResponse} and {@code getValue}
 * (metricproviders/webmetric/webmetric.go) and {@code EvaluateResult}
 * (utils/evaluate/evaluate.go).
 */
final class ArgoWebMetric {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * Argo evaluates conditions with expr-lang; the templates use only what JEXL reads the same
     * way ({@code result}, string literals in double quotes, {@code ==}, {@code &&}, {@code ||}),
     * and anything JEXL cannot parse fails the measurement loudly as an Error.
     */
    private static final JexlEngine JEXL = new JexlBuilder().strict(true).silent(false).create();

    private ArgoWebMetric() {
    }

    static Measurement measure(JsonNode metric) {
        JsonNode web = metric.path("provider").path("web");
        String method = web.path("method").asText("GET");
        String body = web.path("body").asText("");
        JsonNode jsonBody = web.path("jsonBody");
        if (!body.isEmpty() && !jsonBody.isMissingNode()) {
            return Measurement.error("use either Body or JSONBody; both cannot exists for WebMetric payload");
        }
        if ((!body.isEmpty() || !jsonBody.isMissingNode()) && method.equals("GET")) {
            return Measurement.error("Body/JSONBody can only be used with POST or PUT WebMetric Method types");
        }
        long timeout = web.path("timeoutSeconds").asLong(0) > 0 ? web.path("timeoutSeconds").asLong() : 10;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(web.path("url").asText()))
                .timeout(Duration.ofSeconds(timeout))
                .method(method, !jsonBody.isMissingNode() ? HttpRequest.BodyPublishers.ofString(jsonBody.toString())
                        : body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> headers = new HashMap<>();
        web.path("headers").forEach(h -> headers.put(h.path("key").asText(), h.path("value").asText()));
        if (!jsonBody.isMissingNode()) {
            headers.put("Content-Type", "application/json");
        }
        headers.forEach(request::setHeader);
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Measurement.error(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Measurement.error(e.toString());
        }
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            return Measurement.error("received non 2xx response code: " + response.statusCode());
        }
        return parse(metric, response.body());
    }

    /** A JSON answer is read at the metric's jsonPath; any other answer is evaluated as text. */
    private static Measurement parse(JsonNode metric, String body) {
        try {
            Api.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return evaluate(metric, body, body);
        }
        Object value;
        try {
            value = JsonPath.read(body, jsonPath(metric.path("provider").path("web").path("jsonPath").asText("{$}")));
        } catch (JsonPathException e) {
            return Measurement.error("Could not find JSONPath in body: " + e.getMessage());
        }
        try {
            // The measurement's value is the JSON text of what the path found: "PROMOTE", quoted.
            return evaluate(metric, value, Api.JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            return Measurement.error(e.getMessage());
        }
    }

    /** Kubernetes JSONPath {@code {$.a.b}} as the JsonPath expression {@code $.a.b}; only a single expression. */
    static String jsonPath(String template) {
        if (!template.startsWith("{") || !template.endsWith("}") || template.indexOf('{', 1) >= 0) {
            throw new IllegalArgumentException("only a single {expression} is replayed, not " + template);
        }
        String inner = template.substring(1, template.length() - 1);
        return inner.startsWith("$") ? inner : "$." + inner;
    }

    /** {@code EvaluateResult}: a failure wins over a success; neither is inconclusive. */
    static Measurement evaluate(JsonNode metric, Object result, String value) {
        String success = metric.path("successCondition").asText("");
        String failure = metric.path("failureCondition").asText("");
        boolean succeeded = false;
        boolean failed = false;
        try {
            if (!success.isEmpty()) {
                succeeded = condition(success, result);
            }
            if (!failure.isEmpty()) {
                failed = condition(failure, result);
            }
        } catch (JexlException | IllegalStateException e) {
            return Measurement.error("could not evaluate condition: " + e.getMessage());
        }
        if (success.isEmpty() && failure.isEmpty()) {
            return new Measurement(Phase.SUCCESSFUL, value, "");
        } else if (failure.isEmpty()) {
            failed = !succeeded;
        } else if (success.isEmpty()) {
            succeeded = !failed;
        }
        Phase phase = failed ? Phase.FAILED : succeeded ? Phase.SUCCESSFUL : Phase.INCONCLUSIVE;
        return new Measurement(phase, value, "");
    }

    private static boolean condition(String expression, Object result) {
        MapContext context = new MapContext();
        context.set("result", result);
        Object out = JEXL.createExpression(expression).evaluate(context);
        if (out instanceof Boolean bool) {
            return bool;
        }
        throw new IllegalStateException("expected bool, but got " + out);
    }
}
