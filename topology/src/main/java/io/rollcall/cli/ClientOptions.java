package io.rollcall.cli;

import picocli.CommandLine.Option;

/** Options shared by the HTTP clients (`query`, `rollout …`). */
final class ClientOptions {

    @Option(names = "--url", defaultValue = "${env:ROLLCALL_URL:-http://localhost:8080}",
            description = "Any rollcall instance (default: $ROLLCALL_URL or ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:ROLLCALL_API_TOKEN}",
            description = "Bearer token for writes (default: $ROLLCALL_API_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    ApiClient client() {
        return new ApiClient(url, token);
    }
}
