package io.rollcall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The CLI's view of rollcall's HTTP API: JSON in and out, errors that say what to do. */
final class ApiClient {

    static final ObjectMapper JSON = io.rollcall.query.Json.mapper();

    /** A failure the CLI reports as one line and an exit code, never a stack trace. */
    static final class CliError extends RuntimeException {
        final int exitCode;

        CliError(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    record Response(int status, JsonNode body, String text) {
    }

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String url, String token) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            this.base = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new CliError("--url " + url + " is not a URL; e.g. --url http://localhost:8080", 2);
        }
        if (base.getScheme() == null || base.getHost() == null) {
            throw new CliError("--url " + url + " is not an http(s) URL; e.g. --url http://localhost:8080", 2);
        }
        this.token = token == null || token.isBlank() ? null : token;
    }

    /** A value as one segment or query parameter of a request path. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    /** GET that must succeed: anything but 200 becomes a {@link CliError} with the API's message. */
    JsonNode getOk(String path) {
        return ok(get(path), "GET " + path);
    }

    Response send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null && !method.equals("GET")) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = JSON.readTree(response.body());
            } catch (IOException e) {
                json = JSON.createObjectNode();
            }
            return new Response(response.statusCode(), json == null ? JSON.createObjectNode() : json, response.body());
        } catch (ConnectException e) {
            throw new CliError("cannot reach rollcall at " + base + " (connection refused): start it with `rollcall demo` "
                    + "or `rollcall serve`, or point --url / ROLLCALL_URL at a running instance", 1);
        } catch (HttpTimeoutException e) {
            throw new CliError("rollcall at " + base + " did not answer " + method + " " + path + " within 15 s", 1);
        } catch (IOException e) {
            throw new CliError("cannot reach rollcall at " + base + ": " + e.getMessage()
                    + "; check --url / ROLLCALL_URL", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("interrupted", 130);
        }
    }

    /** The body of a successful answer, else a CliError naming the problem and, where known, the fix. */
    JsonNode ok(Response response, String what) {
        if (response.status() / 100 == 2) {
            return response.body();
        }
        String error = response.body().path("error").asText(response.text());
        String hint = switch (response.status()) {
            case 401 -> "; pass the API token with --token or ROLLCALL_API_TOKEN";
            case 403 -> "; the token does not match the instance's rollcall.api.token";
            case 404 -> "";
            case 503 -> "; the owning instance is not ready yet (rebalancing or restoring), retry in a few seconds";
            default -> "";
        };
        throw new CliError(what + ": " + response.status() + " " + error + hint, response.status() == 404 ? 4 : 1);
    }
}
