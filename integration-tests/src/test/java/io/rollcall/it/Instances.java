package io.rollcall.it;

import io.rollcall.bench.ServeProcess;
import io.rollcall.config.RollcallConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** rollcall instances as separate JVMs running {@code rollcall serve}, so a test can SIGKILL one. */
final class Instances {

    static final Path JAR = Path.of("..", "topology", "target", "rollcall.jar").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One running instance. */
    record Instance(int port, Process process, Path log) {
        String base() {
            return "http://127.0.0.1:" + port;
        }

        HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                    .timeout(Duration.ofSeconds(10)).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> put(String path, String json, String token) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }

        boolean ready() {
            try {
                return get("/health/ready").statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private Instances() {
    }

    static Instance start(RollcallConfig config, String name, Map<String, String> overrides) throws IOException {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.put("rollcall.http.advertised-host", "127.0.0.1");
        ServeProcess serve = ServeProcess.start(JAR, config, name, settings);
        return new Instance(serve.port(), serve.process(), serve.log());
    }
}
