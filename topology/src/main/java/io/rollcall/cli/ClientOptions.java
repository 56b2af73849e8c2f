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

    /** Writes need the token: without one, say where it comes from before any request is made. */
    void requireToken(String what) {
        if (token == null || token.isBlank()) {
            throw new ApiClient.CliError(what + " and needs the API token: pass --token or set ROLLCALL_API_TOKEN "
                    + "(the instance's rollcall.api.token)", 2);
        }
    }

    ApiClient client() {
        return new ApiClient(url, token);
    }
}
