package io.rollcall.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.rollcall.schema.registry.RegistryUnavailableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Basic auth, which the real registry of the integration tests (Apicurio, whose auth is OIDC)
 * cannot check: a JDK HTTP server that wants credentials stands in for a registry that does.
 */
class RegistryClientTest {

    private static final String SCHEMA = "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}";

    private final AtomicReference<String> authorization = new AtomicReference<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/schemas/ids/", exchange -> {
            String sent = exchange.getRequestHeaders().getFirst("Authorization");
            authorization.set(sent);
            boolean allowed = "Basic cm9sbGNhbGw6cGE1NQ==".equals(sent); // rollcall:pa55
            byte[] body = (allowed ? SCHEMA : "{\"error_code\":401,\"message\":\"Unauthorized\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private RegistryClient client(Optional<String> userInfo) {
        return new RegistryClient(List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())), userInfo,
                Duration.ofSeconds(2), HttpClient.newHttpClient());
    }

    @Test
    void sendsTheUserInfoAsBasicAuth() {
        assertThat(client(Optional.of("rollcall:pa55")).byId(1).getType()).hasToString("STRING");
        assertThat(authorization).hasValue("Basic cm9sbGNhbGw6cGE1NQ==");
    }

    @Test
    void refusedCredentialsAreAnOutageNotBadData() {
        assertThatThrownBy(() -> client(Optional.of("rollcall:wrong")).byId(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("HTTP 401 Unauthorized")
                .hasMessageNotContaining("wrong");
    }
}
